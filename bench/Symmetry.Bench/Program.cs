using System.Diagnostics;
using System.Globalization;
using Verify.Model;
using Verify.Results;
using Verify.Symmetry;

// Benchmarks for `verify distance` (see docs/symmetry.md). Usage:
//   dotnet run -c Release --project bench/Symmetry.Bench [-- deep|wide|unrelated|all]
// Every case is a random network A (weights and biases uniform in [−1, 1], fixed seeds) and B = g(A + noise),
// g a random permutation with random power-of-two scalings in [2^−6, 2^6] per hidden neuron, noise uniform in [−η, η].

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string which = args.Length > 0 ? args[0] : "all";
const double Eta = 1e-3;

if (which is "deep" or "all")
{
    var rng = new Random(1);
    var a = Create(rng, 784, 256, 256, 10);
    var b = Copy(rng, a, Eta);
    Time("784-256-256-10, modulo perm+scale (layer-by-layer heuristic)", () => ParameterDistance.Compute(a, b, DistanceModulo.PermScale));
    Time("784-256-256-10, modulo perm (layer-by-layer heuristic)", () => ParameterDistance.Compute(a, Permuted(rng, Noised(rng, a, Eta)), DistanceModulo.Perm));
}
if (which is "wide" or "all")
{
    var rng = new Random(2);
    var a = Create(rng, 784, 1000, 10);
    var b = Copy(rng, a, Eta);
    var bp = Permuted(rng, Noised(rng, a, Eta));
    Time("784-1000-10, modulo perm+scale (exact bottleneck, Hopcroft–Karp)", () => ParameterDistance.Compute(a, b, DistanceModulo.PermScale));
    Time("784-1000-10, modulo perm (exact bottleneck, Hopcroft–Karp)", () => ParameterDistance.Compute(a, bp, DistanceModulo.Perm));
    Time("784-1000-10, modulo perm (exact bottleneck, QuikGraph Edmonds–Karp)", () => ParameterDistance.Compute(a, bp, DistanceModulo.Perm, matcher: new QuikGraphMatcher()));
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var A = new EditableNetwork(a); var B = new EditableNetwork(bp);
    var cost = LayerwiseAlignment_Costs(A, B);
    double tCost = sw.Elapsed.TotalSeconds;
    var assignment = HungarianAssignment.Solve(cost);
    double tTotal = sw.Elapsed.TotalSeconds;
    double cpuTotal = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
    double bottleneck = Enumerable.Range(0, 1000).Max(i => cost[i, assignment[i]]);
    double d = Math.Max(bottleneck, ParameterVectors.MaxAbsDiff(A.B[1], B.B[1]));
    Console.WriteLine($"  plain Hungarian (min-sum) on the full perm cost matrix: {tTotal:F2} s wall, {cpuTotal:F2} s CPU (cost matrix {tCost:F2} s wall), max matched cost {d:R}");
}
if (which is "unrelated" or "all")
{
    var rng = new Random(3);
    var a = Create(rng, 784, 1000, 10);
    var b = Create(rng, 784, 1000, 10);
    Time("784-1000-10 vs an unrelated random network, modulo perm", () => ParameterDistance.Compute(a, b, DistanceModulo.Perm));
    var a2 = Create(rng, 100, 300, 10);
    var b2 = Create(rng, 100, 300, 10);
    Time("100-300-10 vs an unrelated random network, modulo perm+scale", () => ParameterDistance.Compute(a2, b2, DistanceModulo.PermScale));
}

static void Time(string label, Func<DistanceResult> run)
{
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var r = run();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    Console.WriteLine($"{label}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU, distance {r.Distance:R} ({(r.Exact ? "exact" : "upper bound")}; {r.Method})");
}

static double[,] LayerwiseAlignment_Costs(EditableNetwork A, EditableNetwork B)
{
    int n = A.Width(0);
    var ain = Enumerable.Range(0, n).Select(i => ParameterVectors.Incoming(A, 0, i)).ToArray();
    var bin = Enumerable.Range(0, n).Select(i => ParameterVectors.Incoming(B, 0, i)).ToArray();
    var aout = Enumerable.Range(0, n).Select(i => ParameterVectors.Outgoing(A, 0, i)).ToArray();
    var bout = Enumerable.Range(0, n).Select(i => ParameterVectors.Outgoing(B, 0, i)).ToArray();
    var c = new double[n, n];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            c[i, j] = Math.Max(ParameterVectors.MaxAbsDiff(ain[i], bin[j]), ParameterVectors.MaxAbsDiff(aout[i], bout[j]));
    return c;
}

static Network Create(Random rng, params int[] widths)
{
    var layers = new DenseLayer[widths.Length - 1];
    for (int l = 0; l < layers.Length; l++)
    {
        int o = widths[l + 1], n = widths[l];
        var w = Enumerable.Range(0, o * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, o).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        layers[l] = new DenseLayer(o, n, w, b, l == layers.Length - 1 ? Activation.Identity : Activation.Relu);
    }
    return new Network(layers);
}

static Network Noised(Random rng, Network net, double eta) =>
    net.WithParameters(net.Flatten().Select(x => x + (rng.NextDouble() * 2 - 1) * eta).ToArray());

static Network Permuted(Random rng, Network net)
{
    var e = new EditableNetwork(net);
    for (int l = 0; l < e.HiddenLayerCount; l++)
    {
        var p = Enumerable.Range(0, e.Width(l)).ToArray();
        rng.Shuffle(p);
        e.Permute(l, p);
    }
    return e.ToNetwork();
}

static Network Copy(Random rng, Network net, double eta)
{
    var e = new EditableNetwork(Permuted(rng, Noised(rng, net, eta)));
    for (int l = 0; l < e.HiddenLayerCount; l++)
        for (int i = 0; i < e.Width(l); i++) e.Scale(l, i, Math.ScaleB(1.0, rng.Next(-6, 7)));
    return e.ToNetwork();
}
