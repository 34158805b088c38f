using Verify.Bab;

namespace Verify.Bounds;

/// <summary>
/// What input and phase splitting do alike with the deviation bound of one part of a split: its priority, the cap by
/// its parent's bound (which holds on every part of the parent's domain), and the envelope of the open parts'
/// difference bounds for the outcome.
/// </summary>
public static class SplitNodeBounds
{
    /// <summary>The part's worst bound relative to the root's over the outputs (0 when every output is 0), so that
    /// every output counts whatever its scale.</summary>
    public static double Key(double[] upper, double[] rootUpper)
    {
        double key = 0;
        for (int j = 0; j < rootUpper.Length; j++)
            if (rootUpper[j] > 0) key = Math.Max(key, upper[j] / rootUpper[j]);
        return key;
    }

    /// <summary>The child's bound capped by its parent's upper bound and Δ-interval.</summary>
    public static DeviationBound CappedBy(DeviationBound child, double[] parentUpper, double[] parentDeltaLower, double[] parentDeltaUpper)
    {
        int n = child.Upper.Length;
        var up = new double[n]; var lo = new double[n]; var hi = new double[n];
        for (int j = 0; j < n; j++)
        {
            lo[j] = Math.Max(child.DeltaLower![j], parentDeltaLower[j]);
            hi[j] = Math.Min(child.DeltaUpper![j], parentDeltaUpper[j]);
            // Both Δ-intervals hold on the child's domain, so their intersection does: |Δ_j| ≤ max(−lo, hi), which is
            // below both magnitudes when the child's tight side is not the parent's.
            up[j] = Math.Max(0, Math.Min(Math.Min(child.Upper[j], parentUpper[j]), Math.Max(-lo[j], hi[j])));
        }
        return new DeviationBound(up, lo, hi);
    }

    /// <summary>When a splitting search stops: its deadline passed, its splits are used up, nothing is left open, or
    /// sup U reached the target (a replayed lower bound, beyond which no better answer exists).</summary>
    internal static bool Finished<TDomain, TNode>(BabEngine<TDomain, TNode, double> engine, CancellationToken deadline, int maxSplits,
                                                  SplitHistory history, double? stopAtSupUpper) =>
        deadline.IsCancellationRequested || engine.Splits >= maxSplits || engine.Open.Count == 0 || history.LastSup <= stopAtSupUpper;

    /// <summary>A finished search's outcome: <paramref name="upper"/> (the maximum over its open and settled parts)
    /// with their Δ-envelope, its splits, its open parts and its history closed at the final sup U.</summary>
    internal static SplitOutcome Outcome<TDomain, TNode>(BabEngine<TDomain, TNode, double> engine, double[] upper, SplitHistory history,
                                                       Func<TNode, double[]> deltaLower, Func<TNode, double[]> deltaUpper)
    {
        int splits = (int)engine.Splits;
        return new SplitOutcome(Envelope(upper, engine.Undecided, deltaLower, deltaUpper), splits, engine.UndecidedCount,
            history.Finish(splits, upper.Max()));
    }

    /// <summary>The run's bound: <paramref name="upper"/> with the Δ-interval enveloping the open parts' ones.</summary>
    public static DeviationBound Envelope<TNode>(double[] upper, IEnumerable<TNode> open, Func<TNode, double[]> deltaLower, Func<TNode, double[]> deltaUpper)
    {
        var lo = new double[upper.Length]; var hi = new double[upper.Length];
        Array.Fill(lo, double.PositiveInfinity); Array.Fill(hi, double.NegativeInfinity);
        foreach (var n in open)
        {
            double[] l = deltaLower(n), h = deltaUpper(n);
            for (int j = 0; j < lo.Length; j++) { lo[j] = Math.Min(lo[j], l[j]); hi[j] = Math.Max(hi[j], h[j]); }
        }
        return new DeviationBound(upper, lo, hi);
    }
}
