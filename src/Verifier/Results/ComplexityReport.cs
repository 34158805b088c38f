using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>Size measures of a network and its covering-number bound (computed by Symmetry.ComplexityAnalysis; the
/// formula is documented there).</summary>
public sealed record ComplexityReport(
    int Parameters, int HiddenNeurons, int Depth, int[] Widths, int MaxWidth, int[] DistinctNeurons,
    double MaxAbsParameter, double[] Lipschitz, double InputRadius, double Epsilon,
    double LogCovering, double PermutationDiscount)
{
    public double LogCoveringModuloPermutation => LogCovering - PermutationDiscount;

    public JsonObject ToJson()
    {
        double ln10 = Math.Log(10);
        return new JsonObject
        {
            ["parameters"] = Parameters,
            ["neurons"] = HiddenNeurons,
            ["depth"] = Depth,
            ["widths"] = JsonArrays.Of(Widths),
            ["maxWidth"] = MaxWidth,
            ["distinctNeurons"] = JsonArrays.Of(DistinctNeurons),
            ["maxAbsParameter"] = MaxAbsParameter,
            ["lipschitz"] = JsonArrays.Of(Lipschitz),
            ["inputRadius"] = InputRadius,
            ["eps"] = Epsilon,
            ["logCovering"] = LogCovering,
            ["permutationDiscount"] = PermutationDiscount,
            ["permutationDiscountLog10"] = PermutationDiscount / ln10,
            ["logCoveringModuloPermutation"] = LogCoveringModuloPermutation,
        };
    }
}
