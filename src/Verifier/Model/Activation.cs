using Verify.Intervals;

namespace Verify.Model;

public enum ActivationKind
{
    Relu,
    Identity,
    LeakyRelu,
}

/// <summary>
/// The activation applied after a dense layer. LeakyRelu(a): x ↦ x for x &gt; 0, a·x otherwise, with a ≥ 0.
/// What the activation means lives in its <see cref="Operator"/>; this value only names it.
/// </summary>
public readonly record struct Activation
{
    private readonly IActivationOperator? _operator;

    public Activation(ActivationKind kind, double slope = 0.0)
    {
        Kind = kind;
        Slope = slope;
        _operator = OperatorOf(kind, slope);
    }

    public ActivationKind Kind { get; }
    public double Slope { get; }

    public static Activation Relu => new(ActivationKind.Relu);
    public static Activation Identity => new(ActivationKind.Identity);
    public static Activation Leaky(double slope) => new(ActivationKind.LeakyRelu, slope);

    /// <summary>The rules of this activation (created once per value; default(Activation) is a ReLU).</summary>
    public IActivationOperator Operator => _operator ?? OperatorOf(Kind, Slope);

    // The one switch over the kinds. No default arm, so a new kind does not compile until it has an operator
    // (CS8509). CS8524 only says that an undefined numeric value is not matched: it throws SwitchExpressionException.
#pragma warning disable CS8524
    private static IActivationOperator OperatorOf(ActivationKind kind, double slope) => kind switch
    {
        ActivationKind.Relu => ReluOperator.Instance,
        ActivationKind.Identity => IdentityOperator.Instance,
        ActivationKind.LeakyRelu => new LeakyReluOperator(slope),
    };
#pragma warning restore CS8524

    public bool IsPiecewiseLinearWithKink => !Operator.IsIdentity;

    public double Apply(double z) => Operator.Apply(z);

    public Rational Apply(Rational z) => Operator.Apply(z);

    /// <summary>σ'(z) (heuristics only).</summary>
    public double Derivative(double z) => Operator.Derivative(z);

    /// <summary>σ([z]), rounded outward.</summary>
    public Interval Image(Interval z) => Operator.Image(z);

    public string Name => Operator.Name;

    public void Deconstruct(out ActivationKind kind, out double slope) { kind = Kind; slope = Slope; }

    public bool Equals(Activation other) => Kind == other.Kind && Slope.Equals(other.Slope);

    public override int GetHashCode() => HashCode.Combine(Kind, Slope);

    public override string ToString() => Kind == ActivationKind.LeakyRelu ? $"leaky_relu({Slope})" : Name;
}
