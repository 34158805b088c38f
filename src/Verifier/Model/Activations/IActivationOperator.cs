using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// Everything the engine needs to know about one activation function, in one place (as auto_LiRPA keeps one bound class
/// per operator). Every pass — evaluation, the attack's gradient, interval propagation, the joint nominal-and-difference
/// passes, the SMT encoding — asks the activation's operator instead of switching over <see cref="ActivationKind"/>, so
/// a new activation is one new implementation of this interface plus its arm in <see cref="Activation"/>.
/// </summary>
/// <remarks>
/// Every activation supported today is a <see cref="Kink"/>: σ(t) = P·t for t ≥ 0 and N·t for t ≤ 0 with P, N ≥ 0, so
/// σ is monotone and σ(0) = 0. The linear (back-substitution) pass builds its planes from that shape; the SMT encoder
/// and the attack use it as "one case split at 0, slope N below". An activation of another shape needs its own planes
/// and encoding (see docs/operators.md).
/// </remarks>
public interface IActivationOperator
{
    /// <summary>The name used in files and messages ("relu", "identity", "leaky_relu").</summary>
    string Name { get; }

    /// <summary>σ(z) in double arithmetic: the network's definition.</summary>
    double Apply(double z);

    /// <summary>σ(z) in exact rational arithmetic: the oracle for every witness.</summary>
    Rational Apply(Rational z);

    /// <summary>σ'(z), taking the slope of the negative piece at the kink (steers heuristics only, never certifies).</summary>
    double Derivative(double z);

    /// <summary>The activation's backward step of a gradient: g_i ← g_i·σ'(z_i).</summary>
    void Backward(ReadOnlySpan<double> z, Span<double> g)
    {
        for (int i = 0; i < g.Length; i++) g[i] *= Derivative(z[i]);
    }

    /// <summary>The interval image σ([z]), rounded outward.</summary>
    Interval Image(Interval z);

    /// <summary>The kink shape (P, N): for the linear pass's planes, the SMT case split and Lipschitz constants.</summary>
    Kink Kink { get; }

    /// <summary>σ(z) = z: Δh = Δz exactly, no case split, no pre-activation bounds needed, and a linear output layer.</summary>
    bool IsIdentity { get; }

    /// <summary>Its part of the joint interval pass: an enclosure of Δh = σ(z') − σ(z) from the pre-activation
    /// enclosures <paramref name="e"/> and the ranges <paramref name="h"/> ⊇ σ([z]), <paramref name="hp"/> ⊇ σ([z']).</summary>
    Interval DifferenceImage(in JointEnclosure e, Interval h, Interval hp);
}
