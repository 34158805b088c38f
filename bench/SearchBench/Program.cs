using System.Diagnostics;
using System.Globalization;
using Verify.Intervals;
using Verify.Io;
using Verify.Search;
using Verify.Specs;

// Lower bounds by attack on the benchmark networks: SearchBench <net.json>... [--eps e1,e2] [--restarts N] [--steps S] [--half-width r] [--output j]
var inv = CultureInfo.InvariantCulture;
var nets = args.TakeWhile(a => !a.StartsWith("--")).ToList();
string Opt(string name, string dflt) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : dflt; }
var eps = Opt("--eps", "1e-3,1e-2").Split(',').Select(s => double.Parse(s, inv)).ToArray();
int restarts = int.Parse(Opt("--restarts", "16"), inv);
int steps = int.Parse(Opt("--steps", "150"), inv);
int rounds = int.Parse(Opt("--rounds", "24"), inv);
int seed = int.Parse(Opt("--seed", "1"), inv);
double r = double.Parse(Opt("--half-width", "1"), inv);
int output = int.Parse(Opt("--output", "0"), inv);
Console.WriteLine("net,eps,halfWidth,output,lower,exact_bits,steps,seconds,steps_per_s");
foreach (var path in nets)
{
    var net = NetworkFiles.Read(path);
    var box = Box.FromBounds(Enumerable.Repeat(-r, net.InputSize).ToArray(), Enumerable.Repeat(r, net.InputSize).ToArray());
    foreach (var e in eps)
    {
        var delta = PerturbationModel.Absolute(e).ToBox(net);
        var attack = new DeviationAttack(net, delta, new AttackOptions { Restarts = restarts, Steps = steps, LocalSearchRounds = rounds, Seed = seed });
        var sw = Stopwatch.StartNew();
        var cands = attack.Search(box, null, [output], null, default, out long st);
        double searchS = sw.Elapsed.TotalSeconds;
        var lbs = cands.Select(c => attack.Certify(c, box)!).ToArray();
        var lb = lbs.MaxBy(l => l.Value)!;
        var res = new AttackResult([lb], st, sw.Elapsed);
        Console.Error.WriteLine($"search {searchS:F2}s replay {sw.Elapsed.TotalSeconds - searchS:F2}s");
        Console.WriteLine(string.Format(inv, "{0},{1},{2},{3},{4:G6},{5},{6},{7:F2},{8:F0}", Path.GetFileName(path), e, r, output, lb.Value,
            lb.Exact.Numerator.GetBitLength(), res.GradientSteps, sw.Elapsed.TotalSeconds, res.GradientSteps / sw.Elapsed.TotalSeconds));
    }
}
