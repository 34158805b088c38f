using Verify.Intervals;

namespace Verify.Model;

/// <summary>The identity (the usual output "activation"): σ(z) = z.</summary>
public sealed class IdentityOperator : IActivationOperator
{
    public static readonly IdentityOperator Instance = new();

    private IdentityOperator() { }

    public string Name => "identity";

    public double Apply(double z) => z;

    public Rational Apply(Rational z) => z;

    public double Derivative(double z) => 1.0;

    public Interval Image(Interval z) => z;

    public Kink Kink => new(1, 1);

    public bool IsIdentity => true;

    public Interval DifferenceImage(in JointEnclosure e, Interval h, Interval hp) => new(e.DLo, e.DHi);
}
