using SharpFuzz;
using Verify.Fuzz;

// verify-fuzz READER            run under afl-fuzz (persistent, out of process: a stack overflow is a crash too)
// verify-fuzz READER FILE...    replay inputs without AFL: prints accepted / rejected / CRASH per file
if (args.Length == 0 || !ReaderTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: verify-fuzz {string.Join("|", ReaderTargets.All.Keys)} [FILE...]");
    return 64;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        ReaderTargets.Accepts(target, buffer.ToArray());
    });
    return 0;
}

int crashes = 0;
foreach (var file in args.Skip(1))
{
    try { Console.WriteLine($"{(ReaderTargets.Accepts(target, File.ReadAllBytes(file)) ? "accepted" : "rejected")} {file}"); }
    catch (Exception e)
    {
        crashes++;
        Console.WriteLine($"CRASH {file}: {e.GetType().Name}: {e.Message}");
        Console.WriteLine(e.StackTrace);
    }
}
return crashes == 0 ? 0 : 1;
