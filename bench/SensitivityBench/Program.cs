using System.Diagnostics;
using System.Globalization;
using Verify.Io;
using Verify.Sensitivity;
using Verify.Specs;

// Throughput of the Monte Carlo sampler alone (no statistics, no sorting):
//   dotnet run -c Release --project bench/SensitivityBench -- NET.json SAMPLES THREADS [DISTRIBUTION] [NORM]
// For each layer with noise (ratio 0.1), prints samples/s of wall time and per CPU-second of this process, so that
// a loaded machine shows up as a gap between the two.
var inv = CultureInfo.InvariantCulture;
string path = args.Length > 0 ? args[0] : "/work/shared/benchmarks/net_5_50x6_5.json";
int samples = args.Length > 1 ? int.Parse(args[1], inv) : 2_000_000;
int threads = args.Length > 2 ? int.Parse(args[2], inv) : Environment.ProcessorCount;
var dist = args.Length > 3 && args[3] == "gaussian" ? NoiseDistribution.Gaussian : NoiseDistribution.UniformSphere;
var norm = args.Length > 4 && args[4] == "spectral" ? MatrixNorm.Spectral : MatrixNorm.Frobenius;
var net = NetworkFiles.Read(path, null);
var x = Enumerable.Range(0, net.InputSize).Select(i => 0.1 * (i + 1) * (i % 2 == 0 ? 1 : -1)).ToArray();
var inf = new double[samples]; var l2 = new double[samples];
var proc = Process.GetCurrentProcess();
Console.WriteLine($"net {path} ({string.Join("-", net.Widths)}), {samples} samples, {threads} threads, {dist} {norm}, cores {Environment.ProcessorCount}");
for (int layer = 0; layer < net.Depth; layer++)
{
    var spec = NoiseSpec.OneLayer(layer, norm, 0.1, dist);
    var sampler = new DeviationSampler(net, spec.Build(net)) { MaxDegreeOfParallelism = threads };
    sampler.Sample(x, 7, 0, inf, l2, 0, Math.Min(samples, 50_000)); // warm-up (JIT)
    proc.Refresh();
    var cpu0 = proc.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    sampler.Sample(x, 1, 0, inf, l2, 0, samples);
    sw.Stop();
    proc.Refresh();
    double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
    Console.WriteLine(string.Format(inv, "layer {0}: {1,10:N0} samples/s wall   {2,10:N0} samples per CPU-second   (mean ‖Δf‖∞ {3:G4})",
        layer + 1, samples / sw.Elapsed.TotalSeconds, samples / cpu, inf.Average()));
}
