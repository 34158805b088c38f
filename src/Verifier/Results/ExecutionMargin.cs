using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Specs;

namespace Verify.Results;

/// <summary>
/// `equiv --execution`: certified bounds, per output, of how far each network's floating-point evaluations in
/// <see cref="Format"/> can be from its real-valued output anywhere on the box (any summation order, FMA or not; inputs
/// and parameters rounded to the format). <see cref="Overflow"/> names a possible overflow, which leaves nothing
/// certified.
/// </summary>
public sealed record ExecutionMargin(ExecutionFormat Format, double[] First, double[] Second, string? Overflow)
{
    /// <summary>First + Second per output, rounded up: what the real-valued difference may gain in execution.</summary>
    public double[] Total { get; } = Overflow is not null
        ? First.Select(_ => double.PositiveInfinity).ToArray()
        : First.Zip(Second, Rounding.AddUp).ToArray();

    public JsonObject ToJson() => new()
    {
        ["format"] = Format.Name,
        ["firstPerOutput"] = JsonArrays.FiniteOrNull(First),
        ["secondPerOutput"] = JsonArrays.FiniteOrNull(Second),
        ["marginPerOutput"] = JsonArrays.FiniteOrNull(Total),
        ["overflow"] = Overflow,
    };
}
