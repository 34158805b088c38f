namespace Verify.Model;

public enum ActivationKind
{
    Relu,
    Identity,
    LeakyRelu,
}

/// <summary>The activation applied after a dense layer. LeakyRelu(a): x ↦ max(x, a·x) with 0 ≤ a ≤ 1 in practice.</summary>
public readonly record struct Activation(ActivationKind Kind, double Slope = 0.0)
{
    public static Activation Relu => new(ActivationKind.Relu);
    public static Activation Identity => new(ActivationKind.Identity);
    public static Activation Leaky(double slope) => new(ActivationKind.LeakyRelu, slope);

    public bool IsPiecewiseLinearWithKink => Kind != ActivationKind.Identity;

    public double Apply(double z) => Kind switch
    {
        ActivationKind.Relu => z > 0 ? z : 0.0,
        ActivationKind.Identity => z,
        _ => z > 0 ? z : Slope * z,
    };

    public Verify.Intervals.Rational Apply(Verify.Intervals.Rational z) => Kind switch
    {
        ActivationKind.Relu => z.Sign > 0 ? z : Verify.Intervals.Rational.Zero,
        ActivationKind.Identity => z,
        _ => z.Sign > 0 ? z : Verify.Intervals.Rational.FromDouble(Slope) * z,
    };

    public string Name => Kind switch
    {
        ActivationKind.Relu => "relu",
        ActivationKind.Identity => "identity",
        _ => "leaky_relu",
    };

    public override string ToString() => Kind == ActivationKind.LeakyRelu ? $"leaky_relu({Slope})" : Name;
}
