using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// The norm used for Jacobians: the operator norm of a linear map (R^d, ‖·‖∞) → (R^m, ‖·‖∞), i.e. the largest
/// row sum Σ_k |J_jk|. For d = m = 1 it is |f′|, the norm of W^{1,∞} on an interval.
/// </summary>
public static class JacobianNorm
{
    /// <summary>‖J1 − J2‖ exactly; rows are outputs, columns free input coordinates.</summary>
    public static Rational OfDifference(Rational[][] j1, Rational[][] j2)
    {
        var best = Rational.Zero;
        for (int r = 0; r < j1.Length; r++)
        {
            var s = Rational.Zero;
            for (int k = 0; k < j1[r].Length; k++) s += Rational.Abs(j1[r][k] - j2[r][k]);
            best = Rational.Max(best, s);
        }
        return best;
    }

    /// <summary>A certified upper bound of ‖J1 − J2‖ for every pair of matrices in the interval matrices.</summary>
    public static double UpperOfDifference(Interval[][] j1, Interval[][] j2)
    {
        double best = 0;
        for (int r = 0; r < j1.Length; r++)
        {
            var s = Interval.Zero;
            for (int k = 0; k < j1[r].Length; k++) s += (j1[r][k] - j2[r][k]).Abs();
            best = Math.Max(best, s.Hi);
        }
        return best;
    }
}
