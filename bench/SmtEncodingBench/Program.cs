// Compares the two ReLU encodings of Verify.Smt on identical queries: the bounded split encoding (stable
// neurons fixed, bounds and chords as redundant facts) against plain ite. See docs/smt.md.
// Usage: dotnet run -c Release --project bench/SmtEncodingBench -- [timeoutSeconds=60] [seeds=3]
using System.Diagnostics;
using System.Globalization;
using Verify.Intervals;
using Verify.Model;
using Verify.Smt;

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
