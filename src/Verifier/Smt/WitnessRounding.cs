using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Smt;

/// <summary>
/// Turns a solver's point (rational x and δ, possibly algebraic x) into a witness of doubles: x is rounded to the
/// nearest double and clamped into the box, θ + δ to the nearest double and pulled back towards θ until the exact
/// difference lies in the inner box [lo, hi] of <see cref="ParameterBox"/>. The witness's value is then whatever the exact replay says — rounding can only cost
/// a little of the model's value, never make a witness count that is not admissible.
/// </summary>
internal static class WitnessRounding
{
    public static double RoundInto(Rational value, Interval range)
    {
        double v = value.ToDouble();
        return Math.Clamp(v, range.Lo, range.Hi);
    }

    public static double RoundInto(ModelValue value, Interval range) =>
        RoundInto(value.IsExact ? value.Value : (value.Lower + value.Upper) / 2, range);

    /// <summary>The double nearest θ + δ whose exact difference to θ lies in [lo, hi] (lo ≤ 0 ≤ hi).</summary>
    public static double Perturb(double theta, Rational delta, double lo, double hi)
    {
        double tp = (Rational.FromDouble(theta) + delta).ToDouble();
        return Rounding.ClosestWithDifferenceIn(theta, tp, lo, hi);
    }

    /// <summary>θ + δ for the listed parameters (others unchanged), each rounded into the box's inner (certainly admissible) box.</summary>
    public static Network Perturbed(Network nominal, ParameterBox box, IEnumerable<(int Layer, bool IsWeight, int Index, Rational Delta)> changes)
    {
        var w = nominal.Layers.Select(l => l.Weights.ToArray()).ToArray();
        var b = nominal.Layers.Select(l => l.Bias.ToArray()).ToArray();
        foreach (var (layer, isWeight, index, d) in changes)
        {
            var lb = box.Inner[layer];
            if (isWeight) w[layer][index] = Perturb(w[layer][index], d, lb.WeightLo[index], lb.WeightHi[index]);
            else b[layer][index] = Perturb(b[layer][index], d, lb.BiasLo[index], lb.BiasHi[index]);
        }
        return nominal.WithLayers(nominal.Layers.Select((l, i) => l.With(w[i], b[i])).ToArray());
    }
}
