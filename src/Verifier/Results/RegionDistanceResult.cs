using System.Text.Json.Nodes;
using Verify.Intervals;

namespace Verify.Results;

/// <summary>
/// The answer of a InverseStability.RegionSearch: Lower ≤ sup ≤ Upper. Lower is the exact value at <see cref="Witness"/>
/// (replayed), Upper is certified (outward rounded); when the enumeration completed they are the same number and
/// <see cref="Exact"/> holds it.
/// </summary>
public sealed record RegionDistanceResult(
    Rational Lower,
    double Upper,
    Rational? Exact,
    Rational[]? Witness,
    long Regions,
    long Pruned,
    long Checks,
    long EmptyChecks,
    long UnknownChecks,
    bool TimedOut,
    double Seconds)
{
    public bool IsExact => Exact is not null;

    /// <summary>The second network is an exact symmetric copy of the first (the value 0 needs no search and no witness).</summary>
    public bool ExactCopy { get; init; }

    /// <summary>Regions proved empty without Z3 by the pairwise test (included in <see cref="EmptyChecks"/>).</summary>
    public long PairwiseProofs { get; init; }

    /// <summary>Seconds spent inside Z3.</summary>
    public double SolverSeconds { get; init; }

    /// <summary>The witness rounded to doubles when that point replays to the same value (else null: use the exact one).</summary>
    public double[]? WitnessDoubles { get; init; }

    public JsonObject ToJson()
    {
        var o = RealizationDistanceJson.Common("sobolev", Lower, Upper, IsExact, Seconds);
        if (Witness is { } x) o["witness"] = RealizationDistanceJson.Witness(x, WitnessDoubles);
        o["regions"] = Regions;
        o["pruned"] = Pruned;
        o["checks"] = Checks;
        o["emptyRegions"] = EmptyChecks;
        o["pairwiseProofs"] = PairwiseProofs;
        o["solverSeconds"] = SolverSeconds;
        o["unknownChecks"] = UnknownChecks;
        o["timedOut"] = TimedOut;
        o["exactCopy"] = ExactCopy;
        return o;
    }
}
