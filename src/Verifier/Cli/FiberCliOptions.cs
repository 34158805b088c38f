using System.CommandLine;
using Verify.Errors;
using Verify.InverseStability;

namespace Verify.Cli;

/// <summary>The options of the Z3 fiber lower bound (`fiber`, `conditions --net2`), read and checked in one place.</summary>
public sealed class FiberCliOptions
{
    public Option<int> Points { get; } = new("--points") { Description = "number of sample points (kinks of Θ, piece middles, ends, then grid/random)", DefaultValueFactory = _ => 16 };
    public Option<double> Timeout { get; } = new("--timeout") { Description = "time limit per Z3 check in seconds", DefaultValueFactory = _ => 5 };
    public Option<int> Checks { get; } = new("--checks") { Description = "largest number of Z3 checks (bisection steps)", DefaultValueFactory = _ => 12 };
    public Option<int> Seed { get; } = CommonOptions.Seed();

    public IEnumerable<Option> All => [Points, Timeout, Checks, Seed];

    public FiberOptions Read(ParseResult p)
    {
        int points = p.GetValue(Points), checks = p.GetValue(Checks);
        double timeout = p.GetValue(Timeout);
        if (points < 1 || points > 1000) throw new UsageException("--points must be between 1 and 1000");
        var checkTimeout = CommonOptions.Seconds(timeout, "--timeout");
        if (checks < 1 || checks > 200) throw new UsageException("--checks must be between 1 and 200");
        return new FiberOptions { Points = points, CheckTimeout = checkTimeout, MaxChecks = checks, Seed = p.GetValue(Seed) };
    }
}
