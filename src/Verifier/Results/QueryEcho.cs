using System.Text.Json.Nodes;
using Verify.Specs;

namespace Verify.Results;

/// <summary>The part of a certify answer's JSON that repeats the query (certify and --top1 write it alike), so that a
/// result file says which network, box and perturbation it is about.</summary>
public static class QueryEcho
{
    public static void AddTo(JsonObject o, PerturbationModel perturbation, double[] boxLo, double[] boxHi, string networkPath, string networkSha256)
    {
        o["perturbation"] = perturbation.ToJson();
        o["box"] = new JsonObject { ["lo"] = JsonArrays.Of(boxLo), ["hi"] = JsonArrays.Of(boxHi) };
        o["network"] = new JsonObject { ["path"] = networkPath, ["sha256"] = networkSha256 };
    }
}
