using System.Text.Json.Nodes;
using Verify.Model;

namespace Verify.Results;

/// <summary>Which symmetries `verify distance` quotients out.</summary>
public enum DistanceModulo { None, Perm, PermScale }

/// <summary>
/// The ℓ∞ parameter distance min over the symmetry orbit of B of ‖A − Φ‖∞. Exact = the minimisation was solved
/// exactly (up to floating-point rounding of the costs); otherwise Distance is an upper bound attained by Aligned.
/// </summary>
public sealed record DistanceResult(
    double Distance, DistanceModulo Modulo, bool Exact, string Method, Alignment Alignment, Network Aligned, string? Note)
{
    /// <param name="moduloName">the --modulo text as the user typed it</param>
    /// <param name="alignedOut">where the aligned copy was written, if anywhere</param>
    public JsonObject ToJson(string moduloName, IReadOnlyList<int> widths, string? alignedOut) => new()
    {
        ["distance"] = Distance,
        ["modulo"] = moduloName,
        ["exact"] = Exact,
        ["method"] = Method,
        ["widths"] = JsonArrays.Of(widths),
        ["note"] = Note,
        ["alignedOut"] = alignedOut,
    };
}
