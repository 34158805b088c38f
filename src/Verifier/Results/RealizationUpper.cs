using Verify.Intervals;

namespace Verify.Results;

/// <summary>A certified upper bound of the realization distance, with how it was obtained (Exact: lower = upper).</summary>
public sealed record RealizationUpper(Rational Value, bool Exact, string Method);
