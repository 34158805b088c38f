using System.Text.Json.Nodes;

namespace Verify.Results;

/// <summary>
/// The best witness replayed through ONNX Runtime beside its exact replay: the nominal and the perturbed network at x in
/// <see cref="Precision"/> (float32 for `--execution float32`, else float64), and the difference the runtime shows.
/// Informative only: the certified and replayed numbers never come from it. <see cref="Unavailable"/> says why there
/// is no runtime figure (the runtime could not be loaded, say).
/// </summary>
public sealed record RuntimeReplay(string Precision, int Output, double Nominal, double Perturbed, string? Unavailable = null)
{
    public double Difference => Math.Abs(Perturbed - Nominal);

    public static RuntimeReplay NotAvailable(string precision, int output, string why) => new(precision, output, double.NaN, double.NaN, why);

    public JsonObject ToJson() => Unavailable is { } why
        ? new JsonObject { ["runtime"] = "onnxruntime", ["precision"] = Precision, ["output"] = Output, ["unavailable"] = why }
        : new JsonObject
        {
            ["runtime"] = "onnxruntime", ["precision"] = Precision, ["output"] = Output,
            ["nominal"] = Nominal, ["perturbed"] = Perturbed, ["difference"] = Difference,
        };
}
