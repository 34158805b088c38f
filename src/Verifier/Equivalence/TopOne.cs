using Verify.Intervals;

namespace Verify.Equivalence;

/// <summary>
/// Top-1 agreement. The argmax set of an output vector is the set of indices attaining its maximum. Two networks
/// agree at x when their argmax sets share a class (so a tie disagrees only if none of the tied classes is a top class
/// of the other network); they disagree when the sets are disjoint. Decided exactly on rational outputs.
/// </summary>
public static class TopOne
{
    public static int[] ArgmaxSet(IReadOnlyList<Rational> y)
    {
        var max = y[0];
        for (int j = 1; j < y.Count; j++) if (y[j] > max) max = y[j];
        return Enumerable.Range(0, y.Count).Where(j => y[j] == max).ToArray();
    }

    public static int[] ArgmaxSet(IReadOnlyList<double> y)
    {
        double max = y.Max();
        return Enumerable.Range(0, y.Count).Where(j => y[j] == max).ToArray();
    }

    public static int Argmax(IReadOnlyList<double> y)
    {
        int best = 0;
        for (int j = 1; j < y.Count; j++) if (y[j] > y[best]) best = j;
        return best;
    }

    /// <summary>The classes (one of each network) proving disagreement, or null when the argmax sets intersect.</summary>
    public static (int First, int Second)? Disagreement(IReadOnlyList<Rational> y1, IReadOnlyList<Rational> y2)
    {
        var s1 = ArgmaxSet(y1); var s2 = ArgmaxSet(y2);
        return s1.Intersect(s2).Any() ? null : (s1[0], s2[0]);
    }
}
