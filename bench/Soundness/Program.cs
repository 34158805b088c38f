using System.Globalization;
using Verify.Io;
using Verify.Soundness;

// dotnet run --project bench/Soundness -c Release -- [--quick] [--keep-going] [--replays N] [--seed S] [--threads T] [--examples DIR] [--out DIR]
// Exit 0: no violation; 1: a violation (printed, with the networks written to --out); 64: usage.
var o = new CampaignOptions();
string? examples = null, outDir = "soundness-violations";
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--quick": o = o with { Replays = 20_000 }; break;
        case "--keep-going": o = o with { KeepGoing = true }; break;
        case "--replays": o = o with { Replays = long.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture) }; break;
        case "--seed": o = o with { FirstSeed = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
        case "--threads": o = o with { Threads = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
        case "--examples": examples = Next(); break;
        case "--out": outDir = Next(); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 64;
    }
}
examples ??= FindExamples();
var bundled = examples is null ? [] : Directory.EnumerateFiles(examples).Where(f => f.EndsWith(".json") || f.EndsWith(".nnet")).Order()
    .Select(f => (Path.GetFileName(f), NetworkFiles.Read(f))).ToList();
o = o with { Bundled = bundled };
Console.WriteLine($"soundness campaign: target {o.Replays:N0} exact replays, seeds from {o.FirstSeed}, {o.Threads} threads, " +
                  $"{bundled.Count} bundled networks{(examples is null ? "" : " from " + examples)}");
var r = Campaign.Run(o, Console.WriteLine);
Console.WriteLine($"instances {r.Instances:N0}, exact replays {r.Replays:N0} ({string.Join(", ", r.BySampler.Select(kv => $"{kv.Key} {kv.Value:N0}"))}), " +
                  $"skipped {r.Skipped:N0}, equiv verdicts ({string.Join(", ", r.EquivVerdicts.Select(kv => $"{kv.Key} {kv.Value}"))}), {r.Elapsed.TotalSeconds:F0} s");
if (r.Violation is not { } v) { Console.WriteLine("violations: 0"); return 0; }
Console.WriteLine($"violations: {string.Join(", ", r.ViolationsByCheck.Select(kv => $"{kv.Key} {kv.Value:N0}"))}; the first:");
Console.WriteLine($"VIOLATION ({v.Check}): {v.Detail}");
Console.WriteLine($"  instance: {v.Instance}");
if (v.X is not null) Console.WriteLine($"  x = [{string.Join(", ", v.X.Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}]");
Directory.CreateDirectory(outDir);
NetworkFiles.Write(v.Instance.Network, Path.Combine(outDir, $"violation-{v.Instance.Seed}-nominal.json"));
if (v.Perturbed is not null) NetworkFiles.Write(v.Perturbed, Path.Combine(outDir, $"violation-{v.Instance.Seed}-perturbed.json"));
Console.WriteLine($"  networks written to {Path.GetFullPath(outDir)}/violation-{v.Instance.Seed}-*.json");
return 1;

static string? FindExamples()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Verify.sln"))) return Path.Combine(d.FullName, "examples", "networks");
    return null;
}
