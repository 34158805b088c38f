// Compares the two ReLU encodings of Verify.Smt on identical queries: the bounded split encoding (stable
// neurons fixed, bounds and chords as redundant facts) against plain ite. See docs/smt.md.
// Usage: dotnet run -c Release --project bench/SmtEncodingBench -- [timeoutSeconds=60] [seeds=3]
//        dotnet run -c Release --project bench/SmtEncodingBench -- small [timeoutSeconds=60] [seeds=3]
//          (the favourable regime: small boxes where the bounds fix most neurons, exact max and deviation queries)
using System.Diagnostics;
using System.Globalization;
using Verify.Intervals;
using Verify.Model;
using Verify.Smt;
using Verify.Specs;

if (args.Length > 0 && args[0] == "small")
{
    SmallQueries(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60,
                 args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return;
}

int timeout = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
int seeds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
int[] widths = [4, 16, 16, 1];
var box = new Box(Enumerable.Repeat(new Interval(-1, 1), widths[0]).ToArray());
Console.WriteLine($"network {string.Join("-", widths)} (dyadic weights k/8), box [-1,1]^{widths[0]}, limit {timeout} s per query");
Console.WriteLine("seed | unstable/total | query | bounded split | plain ite | ratio");

for (int seed = 1; seed <= seeds; seed++)
{
    var net = DyadicNetwork(seed, widths);
    var bounds = IntervalPropagation.Compute(net, box);
    var options = new MaximizeOptions
    {
        CheckTimeout = TimeSpan.FromSeconds(timeout), TotalTimeout = TimeSpan.FromSeconds(timeout), MaxChecks = 1000,
    };
    // Warm up JIT and Z3 once, off the clock.
    if (seed == 1) OutputMaximizer.MaximizeOutput(net, box, 0, options);

    var ours = Timed(() => OutputMaximizer.MaximizeOutput(net, box, 0, options));
    var plain = Timed(() => OutputMaximizer.MaximizeOutput(net, box, 0, options with { Encoding = ReluEncoding.PlainIte }));
    Report(seed, ours.Value.UnstableNeurons, "exact max", ours.Elapsed, ours.Value.Status, plain.Elapsed, plain.Value.Status);

    if (ours.Value.Status != MaximizeStatus.Exact) continue;
    // One UNSAT query both encodings must prove: f(x) ≥ max + 1/64 has no solution in the box.
    var threshold = ours.Value.Upper + new Rational(1, 64);
    var a = Timed(() => SingleCheck(net, box, bounds, ReluEncoding.BoundedSplit, threshold, timeout));
    var b = Timed(() => SingleCheck(net, box, bounds, ReluEncoding.PlainIte, threshold, timeout));
    Report(seed, ours.Value.UnstableNeurons, "f ≥ max+1/64 (unsat)", a.Elapsed, a.Value.Status, b.Elapsed, b.Value.Status);
}

void Report(int seed, int unstable, string query, TimeSpan t1, object s1, TimeSpan t2, object s2) =>
    Console.WriteLine(FormattableString.Invariant(
        $"{seed} | {unstable}/{widths[1..^1].Sum()} | {query} | {t1.TotalMilliseconds:F0} ms ({s1}) | {t2.TotalMilliseconds:F0} ms ({s2}) | {t2.TotalMilliseconds / t1.TotalMilliseconds:F1}x"));

static SmtOutcome SingleCheck(Network net, Box box, NeuronBounds bounds, ReluEncoding encoding, Rational t, int timeout)
{
    using var s = new SolverSession(TimeSpan.FromSeconds(timeout), logic: "QF_LRA");
    var e = ReluNetworkEncoder.Encode(s.Context, net, box, bounds, encoding);
    s.Assert(e.Facts.ToArray());
    s.Assert(s.Context.MkGe(e.Outputs[0], ExactTerms.Real(s.Context, t)));
    return s.Check();
}

static (T Value, TimeSpan Elapsed) Timed<T>(Func<T> f)
{
    var sw = Stopwatch.StartNew();
    var v = f();
    return (v, sw.Elapsed);
}

static Network DyadicNetwork(int seed, int[] widths)
{
    var rng = new Random(seed);
    var layers = new List<DenseLayer>();
    for (int l = 1; l < widths.Length; l++)
    {
        int n = widths[l], m = widths[l - 1];
        var w = Enumerable.Range(0, n * m).Select(_ => rng.Next(-8, 9) / 8.0).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => rng.Next(-8, 9) / 8.0).ToArray();
        layers.Add(new DenseLayer(n, m, w, b, l == widths.Length - 1 ? Activation.Identity : Activation.Relu));
    }
    return new Network(layers);
}

// Small queries, the regime the bounded encoding is for: a box of radius 1/16 around a dyadic centre, so interval
// bounds fix most neurons. Each query runs with both encodings; ratio = plain ite time / bounded split time.
static void SmallQueries(int timeout, int seeds)
{
    var limit = TimeSpan.FromSeconds(timeout);
    Console.WriteLine($"small boxes (radius 1/16), limit {timeout} s per query; ratio = plain ite / bounded split");
    Console.WriteLine("seed | query | unstable (bounded) | bounded split | plain ite | ratio");
    bool warm = false;
    for (int seed = 1; seed <= seeds; seed++)
    {
        int[] widths = [4, 16, 16, 1];
        var net = DyadicNetwork(seed, widths);
        var rng = new Random(100 + seed);
        var centre = Enumerable.Range(0, widths[0]).Select(_ => rng.Next(-8, 9) / 16.0).ToArray();
        var box = new Box(centre.Select(c => new Interval(c - 0.0625, c + 0.0625)).ToArray());
        var point = new Box(centre.Select(Interval.Point).ToArray());
        var max = new MaximizeOptions { CheckTimeout = limit, TotalTimeout = limit, MaxChecks = 1000 };
        var dev = new DeviationMaximizeOptions { CheckTimeout = limit, TotalTimeout = limit, MaxChecks = 1000 };
        var lastLayer = new PerturbationModel { Eps = [1.0 / 64], LayerMask = new HashSet<int> { 3 } }.ToBox(net);
        var hidden = new PerturbationModel { Eps = [1.0 / 64], LayerMask = new HashSet<int> { 2 } }.ToBox(net);
        if (!warm) { OutputMaximizer.MaximizeOutput(net, box, 0, max); DeviationMaximizer.Maximize(net, box, lastLayer, 0, dev); warm = true; }

        var a = Timed(() => OutputMaximizer.MaximizeOutput(net, box, 0, max));
        var b = Timed(() => OutputMaximizer.MaximizeOutput(net, box, 0, max with { Encoding = ReluEncoding.PlainIte }));
        Row(seed, "exact max f(x)", a.Value.UnstableNeurons, a.Elapsed, a.Value.Status, b.Elapsed, b.Value.Status);

        var c = Timed(() => DeviationMaximizer.Maximize(net, box, lastLayer, 0, dev));
        var d = Timed(() => DeviationMaximizer.Maximize(net, box, lastLayer, 0, dev with { Encoding = ReluEncoding.PlainIte }));
        Row(seed, $"max |Δf|, last layer ε=1/64 ({c.Value.Mode})", c.Value.UnstableNeurons, c.Elapsed, c.Value.Status, d.Elapsed, d.Value.Status);

        var e = Timed(() => DeviationMaximizer.Maximize(net, point, hidden, 0, dev));
        var f = Timed(() => DeviationMaximizer.Maximize(net, point, hidden, 0, dev with { Encoding = ReluEncoding.PlainIte }));
        Row(seed, $"max |Δf|, fixed x, layer 2 ε=1/64 ({e.Value.Mode})", e.Value.UnstableNeurons, e.Elapsed, e.Value.Status, f.Elapsed, f.Value.Status);
    }

    // Nonlinear: a 2-4-4-1 net, first layer perturbed with x free (δW·x products), small box.
    for (int seed = 1; seed <= seeds; seed++)
    {
        var net = DyadicNetwork(seed, [2, 4, 4, 1]);
        var box = new Box([new Interval(0.25, 0.375), new Interval(-0.5, -0.375)]);
        var first = new PerturbationModel { Eps = [1.0 / 64], LayerMask = new HashSet<int> { 1 } }.ToBox(net);
        var dev = new DeviationMaximizeOptions { CheckTimeout = limit, TotalTimeout = limit, MaxChecks = 1000, Tolerance = new Rational(1, 1 << 12) };
        var g = Timed(() => DeviationMaximizer.Maximize(net, box, first, 0, dev));
        var h = Timed(() => DeviationMaximizer.Maximize(net, box, first, 0, dev with { Encoding = ReluEncoding.PlainIte }));
        Row(seed, $"max |Δf|, 2-4-4-1 layer 1 ε=1/64, tol 2^-12 ({g.Value.Mode})", g.Value.UnstableNeurons, g.Elapsed, g.Value.Status, h.Elapsed, h.Value.Status);
    }

    static void Row(int seed, string query, int unstable, TimeSpan t1, object s1, TimeSpan t2, object s2) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{seed} | {query} | {unstable} | {t1.TotalMilliseconds:F0} ms ({s1}) | {t2.TotalMilliseconds:F0} ms ({s2}) | {t2.TotalMilliseconds / t1.TotalMilliseconds:F1}x"));
}
