using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// What the exact passes need of a layer: its affine operator in exact rationals (with and without the bias, the
/// latter for derivatives) and its activation operator. <see cref="DenseLayer"/> (double parameters, taken as the
/// rationals they denote) and <see cref="ExactLayer"/> (rational parameters) are both one.
/// </summary>
public interface IExactLayer
{
    int Outputs { get; }

    Activation Activation { get; }

    /// <summary>W·h + b, exactly.</summary>
    Rational[] PreActivationExact(IReadOnlyList<Rational> h);

    /// <summary>W·v, exactly: the affine map's linear part, which carries derivatives.</summary>
    Rational[] LinearExact(IReadOnlyList<Rational> v);
}
