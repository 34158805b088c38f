using Verify.Intervals;

namespace Verify.Results;

/// <summary>A certified lower bound of d(Γ, fiber(g)) = inf{‖Φ − Γ‖∞ : R(Φ) = g} with the argument that proves it.</summary>
public sealed record FiberLemmaBound(Rational Value, string Argument);
