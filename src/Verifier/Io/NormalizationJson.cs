using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Model;

namespace Verify.Io;

/// <summary>
/// The JSON form of .nnet normalisation data, {"inputMin":[..],"inputMax":[..],"inputMean":[..],"inputRange":[..],
/// "outputMean":m,"outputRange":r}, used by the JSON and ONNX formats so that a .nnet file survives conversion.
/// </summary>
public static class NormalizationJson
{
    public static JsonObject ToJson(Normalization n) => new()
    {
        ["inputMin"] = Array(n.InputMin),
        ["inputMax"] = Array(n.InputMax),
        ["inputMean"] = Array(n.InputMean),
        ["inputRange"] = Array(n.InputRange),
        ["outputMean"] = n.OutputMean,
        ["outputRange"] = n.OutputRange,
    };

    public static Normalization FromJson(string path, JsonObject o) => new(
        Vector(path, o, "inputMin"), Vector(path, o, "inputMax"), Vector(path, o, "inputMean"), Vector(path, o, "inputRange"),
        Scalar(path, o, "outputMean"), Scalar(path, o, "outputRange"));

    private static JsonArray Array(double[] v) => new(v.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());

    private static double[] Vector(string path, JsonObject o, string key)
    {
        if (o[key] is not JsonArray a) throw new BadInputException(path, $"normalization.{key} must be an array of numbers");
        return a.Select((n, i) => Number(path, n, $"normalization.{key}[{i}]")).ToArray();
    }

    private static double Scalar(string path, JsonObject o, string key) => Number(path, o[key], "normalization." + key);

    private static double Number(string path, JsonNode? n, string where)
    {
        if (n is null || n.GetValueKind() != JsonValueKind.Number) throw new BadInputException(path, $"{where} is not a number");
        double d = n.GetValue<double>();
        if (!double.IsFinite(d)) throw new BadInputException(path, $"{where} is not a finite number");
        return d;
    }
}
