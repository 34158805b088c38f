using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Soundness;

/// <summary>
/// The perturbation set itself, decided in rational arithmetic from the model (not from the engine's δ-box, which
/// may be an outward enclosure): |θ'−θ| ≤ ε_l (absolute) or ≤ ε_l·|θ| (relative), on the layers and parameter kinds
/// the model moves; for a norm ball, ‖W'−W‖ ≤ r·‖W‖ on its layer. Samplers snap into it; witnesses must lie in it.
/// </summary>
public static class ExactSet
{
    public static bool Contains(PerturbationModel model, ParameterBox delta, Network nominal, Network perturbed)
    {
        for (int l = 0; l < nominal.Depth; l++)
        {
            var a = nominal.Layers[l]; var b = perturbed.Layers[l];
            for (int k = 0; k < a.Weights.Length; k++)
                if (!EntryAdmits(model, l, weight: true, a.Weights[k], b.Weights[k])) return false;
            for (int k = 0; k < a.Outputs; k++)
                if (!EntryAdmits(model, l, weight: false, a.Bias[k], b.Bias[k])) return false;
        }
        return model.Kind != PerturbationKind.NormBall || delta.Ball!.AdmitsExact(nominal, perturbed);
    }

    private static bool EntryAdmits(PerturbationModel model, int layer, bool weight, double theta, double moved)
    {
        if (moved == theta) return true;
        if (!double.IsFinite(moved)) return false;
        if (model.Kind == PerturbationKind.NormBall) return weight && layer == model.NormLayer - 1; // the ball decides
        var r = Radius(model, layer, weight, theta);
        return r is { } radius && Rational.Abs(Rational.FromDouble(moved) - Rational.FromDouble(theta)) <= radius;
    }

    /// <summary>The exact radius of one entry (null where the model moves nothing); not used for norm balls.</summary>
    public static Rational? Radius(PerturbationModel model, int layer, bool weight, double theta)
    {
        if (!model.LayerMoves(layer) || (weight && model.BiasesOnly) || (!weight && model.WeightsOnly)) return null;
        var eps = Rational.FromDouble(model.EpsForLayer(layer));
        return model.Kind == PerturbationKind.Relative ? eps * Rational.Abs(Rational.FromDouble(theta)) : eps;
    }

    /// <summary>
    /// A double near θ + target whose exact difference from θ lies within the exact radius: rounding may step one ulp
    /// outside, so the value is pulled back towards θ until it is inside (θ itself always is).
    /// </summary>
    public static double Snap(PerturbationModel model, int layer, bool weight, double theta, double target)
    {
        if (model.Kind == PerturbationKind.NormBall) return theta + target;
        if (Radius(model, layer, weight, theta) is not { } r || target == 0) return theta;
        double t = theta + target;
        var rt = Rational.FromDouble(theta);
        for (int step = 0; step < 64 && t != theta; step++)
        {
            if (double.IsFinite(t) && Rational.Abs(Rational.FromDouble(t) - rt) <= r) return t;
            t = t > theta ? Math.BitDecrement(t) : Math.BitIncrement(t);
        }
        return theta;
    }
}
