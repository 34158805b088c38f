using System.Diagnostics;
using Verify.Bounds;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// The lower-bound side of `verify certify`: the attack alone (replayed witnesses, L_j), or with --gap/--trace the
/// anytime branch and bound with the leaf bounder of the requested method, which also yields a sound U_j.
/// </summary>
public static class AnytimeSearch
{
    public sealed record Settings(int AttackRestarts, int Seed, double? Gap, string? TracePath, TimeSpan Timeout, int? MaxSplits, double? Threshold)
    {
        public bool BranchAndBound => Gap is not null || TracePath is not null;

        /// <summary>When the attack stops searching, if before <see cref="Timeout"/> (which then bounds its replays);
        /// null: at the timeout. Branch and bound replays as it goes and searches until the timeout.</summary>
        public TimeSpan? SearchFor { get; init; }
    }

    /// <summary><see cref="Upper"/> is null unless branch and bound ran; <see cref="ReplayCost"/> is the cost of the
    /// attack's latest exact replay (null when none ran or branch and bound searched).</summary>
    public sealed record Outcome(IReadOnlyList<LowerBound?>? Lower, SearchResult? Search, double[]? Upper, double Seconds)
    {
        public TimeSpan? ReplayCost { get; init; }
    }

    public static Outcome Run(Network network, Box box, ParameterBox delta, Func<IDeviationBounder> leaf, Settings s)
    {
        if (s.AttackRestarts < 0) throw new UsageException("--attack-restarts must be ≥ 0");
        if (s.Gap is { } g && !(g >= 0 && double.IsFinite(g))) throw new UsageException("--gap must be a finite number ≥ 0");
        if (s.BranchAndBound && s.AttackRestarts == 0) throw new UsageException("--gap and --trace need the attack (--attack-restarts ≥ 1)");
        if (s.AttackRestarts == 0) return new Outcome(null, null, null, 0);
        var sw = Stopwatch.StartNew();
        var attack = new AttackOptions { Restarts = s.AttackRestarts, Seed = s.Seed };
        if (!s.BranchAndBound)
        {
            // The timeout covers the exact replays too: the attack keeps a measured share of it for them.
            var r = new DeviationAttack(network, delta, attack).Run(box, limit: s.Timeout, searchFor: s.SearchFor);
            return new Outcome(r.Lower, null, null, sw.Elapsed.TotalSeconds) { ReplayCost = r.ReplayCost };
        }
        CsvTrace? trace = null;
        try
        {
            if (s.TracePath is { } path)
            {
                try { trace = CsvTrace.Create(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new BadInputException(path, "cannot write trace: " + e.Message);
                }
            }
            var options = new BranchAndBoundOptions
            {
                Gap = s.Gap ?? 0,
                Timeout = s.Timeout,
                MaxSplits = s.MaxSplits ?? 1_000_000,
                Threshold = s.Threshold,
                Attack = attack,
                Progress = trace is null ? null : trace.Record,
            };
            var result = new BranchAndBound(network, delta, leaf(), options).Search(box);
            return new Outcome(result.Lower, result, result.Upper.ToArray(), sw.Elapsed.TotalSeconds);
        }
        finally { trace?.Dispose(); }
    }
}
