using System.Diagnostics;
using System.Globalization;
using Verify.Bench.Mnist;
using Verify.Bounds;
using Verify.Io;
using Verify.Specs;

// Where the gap U/L on a large-input network comes from (issue 16, the MNIST target):
//   MnistDiagnostic --net N --vnnlib V --eps E [--relative] [--samples S] [--steps T] [--fo-starts K] [--threads P]
// (a) the linear pass's nominal enclosures against ranges reached by sampling and per-neuron ascent;
// (b) U with the nominal pre-activations intersected with those reached ranges (unsound: what tight enclosures would give);
// (c) the first-order worst case max_x Σ|∂f_j/∂θ|max|δ_θ| and the aligned δ's actual Δf_j there.
var inv = CultureInfo.InvariantCulture;
string Opt(string name, string dflt) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : dflt; }
var net = NetworkFiles.Read(Opt("--net", ""));
var box = VnnLibReader.ReadFile(Opt("--vnnlib", "")).InputBox;
double eps = double.Parse(Opt("--eps", "1e-2"), inv);
var delta = (args.Contains("--relative") ? PerturbationModel.Relative(eps) : PerturbationModel.Absolute(eps)).ToBox(net);
int samples = int.Parse(Opt("--samples", "2000"), inv), steps = int.Parse(Opt("--steps", "15"), inv);
int foStarts = int.Parse(Opt("--fo-starts", "8"), inv), threads = int.Parse(Opt("--threads", "2"), inv);
var dense = new Dense(net);
double[] lo = box.Lower, hi = box.Upper;
var sw = Stopwatch.StartNew();
string F(double v) => v.ToString("G4", inv);
string Row(IEnumerable<double> v) => string.Join(" ", v.Select(F));

var (uPlain, encl) = EngineProbe.Run(new LinearDifferenceBounder(), net, box, delta);
Console.WriteLine($"linear pass: {sw.Elapsed.TotalSeconds:F1} s, U = {Row(uPlain)}");
if (args.Contains("--variants"))
{
    // (d) sound variants of the pass that exist today: z' rows, and α slopes optimised for the last k hidden layers.
    Console.WriteLine("\n(d) sound variants of the linear pass: variant | sup U | seconds | unstable per layer");
    var variants = new List<(string, LinearDifferenceBounder)> { ("plain", new()), ("z' rows", new() { ZPrimeRows = true }) };
    foreach (var k in Opt("--hidden", "0,1,2,3,4").Split(',').Select(int.Parse))
        variants.Add(($"optimize-slopes, hidden {k}", new() { OptimizeSlopes = true, OptimizedHiddenLayers = k }));
    foreach (var (name, b) in variants)
    {
        var t0 = Stopwatch.StartNew();
        var (u, e) = EngineProbe.Run(b, net, box, delta);
        var unstable = e.Select(x => Enumerable.Range(0, x.ZLo.Length).Count(i => x.ZLo[i] < 0 && x.ZHi[i] > 0));
        Console.WriteLine($"{name} | {F(u.Max())} | {t0.Elapsed.TotalSeconds:F1} | {string.Join("/", unstable)}");
    }
    if (args.Contains("--only-variants")) return;
}

var ranges = new NominalRanges(dense, lo, hi);
var rng = new Random(1);
var points = ranges.Sample(samples, rng);
var sampledLo = ranges.Lo.Select(a => (double[])a.Clone()).ToArray(); var sampledHi = ranges.Hi.Select(a => (double[])a.Clone()).ToArray();
ranges.Ascend(points.Take(64).ToArray(), steps, threads);
Console.WriteLine($"sampling ({samples}) and per-neuron ascent ({steps} steps): {sw.Elapsed.TotalSeconds:F1} s");

Console.WriteLine("\n(a) nominal pre-activation enclosures, per layer (means over neurons)");
Console.WriteLine("layer | n | engine width z | sampled width | ascent width | engine/ascent (median) | unstable engine | unstable reached | engine max h' | reached max h | engine width Δz");
for (int l = 0; l < net.Depth; l++)
{
    var e = encl[l]; int n = e.ZLo.Length;
    double Mean(Func<int, double> f) => Enumerable.Range(0, n).Average(f);
    var ratios = Enumerable.Range(0, n).Select(i => (e.ZHi[i] - e.ZLo[i]) / Math.Max(1e-12, ranges.Hi[l][i] - ranges.Lo[l][i])).OrderBy(v => v).ToArray();
    int unstE = Enumerable.Range(0, n).Count(i => e.ZLo[i] < 0 && e.ZHi[i] > 0);
    int unstR = Enumerable.Range(0, n).Count(i => ranges.Lo[l][i] < 0 && ranges.Hi[l][i] > 0);
    Console.WriteLine($"{l + 1} | {n} | {F(Mean(i => e.ZHi[i] - e.ZLo[i]))} | {F(Mean(i => sampledHi[l][i] - sampledLo[l][i]))} | " +
                      $"{F(Mean(i => ranges.Hi[l][i] - ranges.Lo[l][i]))} | {F(ratios[n / 2])} | {unstE} | {unstR} | " +
                      $"{F(Mean(i => Math.Max(0, e.HPHi[i])))} | {F(Mean(i => Math.Max(0, ranges.Hi[l][i])))} | {F(Mean(i => e.DHi[i] - e.DLo[i]))}");
}

Console.WriteLine("\n(b) U of the linear pass with the nominal z intersected with the reached ranges (UNSOUND, diagnostic)");
var (uOracle, enclOracle) = EngineProbe.Run(new LinearDifferenceBounder(), net, box, delta, ranges.Lo, ranges.Hi);
Console.WriteLine($"U = {Row(uOracle)}  (sup {F(uOracle.Max())} vs sound {F(uPlain.Max())})");
for (int l = 0; l < net.Depth; l++)
{
    var e = enclOracle[l];
    Console.WriteLine($"  layer {l + 1}: mean width Δz {F(Enumerable.Range(0, e.DLo.Length).Average(i => e.DHi[i] - e.DLo[i]))}");
}
var (uOracleZp, _) = EngineProbe.Run(new LinearDifferenceBounder { ZPrimeRows = true }, net, box, delta, ranges.Lo, ranges.Hi);
Console.WriteLine($"  with z' rows as well: sup U = {F(uOracleZp.Max())}");
// Half-tight: only the first k layers' enclosures replaced, to see where the looseness starts to matter.
for (int k = 1; k < net.Depth - 1; k++)
{
    var zl = ranges.Lo.Select((a, l) => l < k ? a : Enumerable.Repeat(double.NegativeInfinity, a.Length).ToArray()).ToArray();
    var zh = ranges.Hi.Select((a, l) => l < k ? a : Enumerable.Repeat(double.PositiveInfinity, a.Length).ToArray()).ToArray();
    var (uk, _) = EngineProbe.Run(new LinearDifferenceBounder(), net, box, delta, zl, zh);
    Console.WriteLine($"  reached ranges on layers 1..{k} only: sup U = {F(uk.Max())}");
}

Console.WriteLine("\n(c) first-order worst case over x (sign ascent) and the aligned δ's actual Δf_j");
Console.WriteLine("output | max_x g_j (first order) | g_j at centre | aligned Δf_j at argmax (+) | (−)");
var fo = new FirstOrder(dense, delta);
var starts = points.Take(foStarts).ToArray();
for (int j = 0; j < net.OutputSize; j++)
{
    double g = fo.Maximise(j, starts, lo, hi, 40, out var xs);
    double g0 = fo.Maximise(j, [points[0]], lo, hi, 0, out _);
    Console.WriteLine($"{j} | {F(g)} | {F(g0)} | {F(fo.AlignedDifference(j, 1, xs))} | {F(fo.AlignedDifference(j, -1, xs))}");
}

Console.WriteLine("\n(e) per-neuron |Δz|: the engine's enclosure against the first-order worst case max_x Σ|∂z_i/∂θ|max|δ_θ| (16 neurons a layer)");
Console.WriteLine("layer | mean engine max|Δz| | mean first-order | engine/first-order (median) | same with the reached z (unsound pass)");
for (int l = 1; l < net.Depth; l++)
{
    int n = net.Layers[l].Outputs, pick = Math.Min(16, n);
    var idx = Enumerable.Range(0, pick).Select(q => q * n / pick).ToArray();
    var foVals = idx.Select(i => fo.Maximise(i, starts.Take(4), lo, hi, 20, out _, l)).ToArray();
    double Mag(EngineProbe.Layer e, int i) => Math.Max(Math.Abs(e.DLo[i]), Math.Abs(e.DHi[i]));
    var eng = idx.Select(i => Mag(encl[l], i)).ToArray();
    var orc = idx.Select(i => Mag(enclOracle[l], i)).ToArray();
    double Median(IEnumerable<double> v) { var a = v.OrderBy(t => t).ToArray(); return a[a.Length / 2]; }
    Console.WriteLine($"{l + 1} | {F(eng.Average())} | {F(foVals.Average())} | {F(Median(eng.Zip(foVals, (a, b) => a / b)))} | {F(Median(orc.Zip(foVals, (a, b) => a / b)))}");
}
Console.WriteLine($"\ntotal {sw.Elapsed.TotalSeconds:F1} s");
