using Verify.Intervals;

namespace Verify.Results;

/// <summary>
/// A point of U where every Φ with R(Φ) = R(Θ) on U must agree with Θ: in value, and in the one-sided directional
/// derivative along each direction (each pointing into U, so x + t·v stays in U for small t &gt; 0).
/// </summary>
public sealed record FiberPoint(Rational[] X, IReadOnlyList<Rational[]> Directions, string Why);
