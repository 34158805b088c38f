using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>
/// A concrete counterexample: input x and perturbed network θ' = θ + δ (doubles), for output j. Its value
/// |f_j(x;θ') − f_j(x;θ)| is only ever taken from exact rational replay (<see cref="Replay"/>).
/// </summary>
public sealed record Witness(int Output, double[] X, Network Perturbed)
{
    /// <summary>
    /// Replays the witness exactly: checks x ∈ X and θ' − θ admissible in rationals, then returns the exact
    /// |f_j(x;θ') − f_j(x;θ)|, or null when the witness is not admissible (or names no output of the network).
    /// </summary>
    public Rational? Replay(Network nominal, Box box, ParameterBox delta)
    {
        if (Output < 0 || Output >= nominal.OutputSize) return null;
        if (X.Length != nominal.InputSize || !box.Contains(X)) return null;
        if (!delta.Admits(nominal, Perturbed)) return null;
        var xr = X.Select(Rational.FromDouble).ToArray();
        var y0 = nominal.EvaluateExact(xr)[Output];
        var y1 = Perturbed.EvaluateExact(xr)[Output];
        return Rational.Abs(y1 - y0);
    }
}
