using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Results;

/// <summary>One table row of `inverse-stability examples`: an example k and one norm, the exact realization distance
/// and the certified bounds of the parameter distance, beside what the paper states.</summary>
public sealed record PaperExampleRow(string Example, string Title, int K, FiberDomain Domain, string Norm, Rational Realization, string RealizationMethod,
                                     Rational ParameterLower, Rational ParameterUpper, string Argument, string PaperRealization, string PaperParameter, string Note)
{
    public JsonObject ToJson() => new()
    {
        ["example"] = Example,
        ["title"] = Title,
        ["k"] = K,
        ["domain"] = RationalJson.Box(Domain.Lo, Domain.Hi),
        ["norm"] = Norm,
        ["realization"] = new JsonObject { ["lower"] = Realization.ToString(), ["upper"] = Realization.ToString(), ["method"] = RealizationMethod },
        ["parameter"] = new JsonObject { ["lower"] = ParameterLower.ToString(), ["upper"] = ParameterUpper.ToString() },
        ["argument"] = Argument,
        ["paperRealization"] = PaperRealization,
        ["paperParameter"] = PaperParameter,
        ["note"] = Note,
        ["paper"] = true,
    };
}

/// <summary>Γ and Θ of one example member as double networks (nearest doubles), for --out-dir.</summary>
public sealed record PaperExampleNetworks(string Id, int K, Network Gamma, Network Theta);

/// <summary>`verify inverse-stability examples`'s answer: every row, and the networks of every member.</summary>
public sealed record PaperExamplesResult(IReadOnlyList<PaperExampleRow> Rows, IReadOnlyList<PaperExampleNetworks> Networks)
{
    public JsonObject ToJson() => new() { ["paper"] = true, ["examples"] = new JsonArray(Rows.Select(r => (JsonNode)r.ToJson()).ToArray()) };
}
