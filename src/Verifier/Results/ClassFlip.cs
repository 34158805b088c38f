using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>
/// A class flip: an input x and a perturbed network θ' at which the rival class <see cref="Rival"/> scores at least as
/// much as the certified class <see cref="Class"/>, so the class is not the unique top class there. Only ever believed
/// after exact rational replay (<see cref="Replay"/>).
/// </summary>
public sealed record ClassFlip(int Class, int Rival, double[] X, Network Perturbed)
{
    /// <summary>True when θ' is the nominal network itself: the class changes inside the box without any δ.</summary>
    public bool NominalFlip { get; init; }

    /// <summary>
    /// The exact margin y'_c − y'_r at x, or null when x is not in the box, θ' − θ is not admissible (decided in
    /// rationals) or the classes are not the network's. A flip is confirmed when the margin is ≤ 0.
    /// </summary>
    public Rational? Replay(Network nominal, Box box, ParameterBox delta)
    {
        if (Class < 0 || Rival < 0 || Class == Rival || Class >= nominal.OutputSize || Rival >= nominal.OutputSize) return null;
        if (X.Length != nominal.InputSize || !box.Contains(X)) return null;
        if (!delta.Admits(nominal, Perturbed)) return null;
        var y = Perturbed.EvaluateExact(X.Select(Rational.FromDouble).ToArray());
        return y[Class] - y[Rival];
    }

    /// <summary>The witness of the flip in the project's JSON conventions (x and δ = θ' − θ, exact).</summary>
    public Witness AsWitness() => new(Rival, X, Perturbed);
}
