using Verify.Intervals;

namespace Verify.Specs;

/// <summary>The box U = [Lo, Hi] (per input) on which two realizations must agree (inverse stability's
/// fiber distance, conditions and theorem checks), in exact rationals.</summary>
public sealed record FiberDomain(Rational[] Lo, Rational[] Hi)
{
    public int Dimension => Lo.Length;

    public bool Contains(Rational[] x) => x.Select((v, i) => v >= Lo[i] && v <= Hi[i]).All(b => b);

    public bool Interior(Rational[] x) => x.Select((v, i) => v > Lo[i] && v < Hi[i]).All(b => b);
}
