using System.Globalization;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// The top-1 part of a certificate (`certify --top1 --certificate`). The claim is about class c, a top class of the
/// nominal network at the recorded point "at" of the box. Bounded: every leaf proves y'_c − y'_j ≥ its recorded margin
/// (checked by <see cref="ExactNode"/>), and the claimed margins are at most every leaf's; all positive means c is the
/// unique top class on the whole box for every admissible δ. Falsified: a perturbed network under which a rival j is at
/// least as large as c at a point of the box, replayed exactly.
/// </summary>
internal static class TopOneCheck
{
    public static string? NominalTop(CertificateInput cert, TopOneInput top, Network network)
    {
        if (top.Class >= network.OutputSize) return $"top1: class {top.Class} does not exist (the network has {network.OutputSize} outputs)";
        for (int i = 0; i < top.At.Length; i++)
            if (top.At[i] < cert.BoxLower[i] || top.At[i] > cert.BoxUpper[i]) return $"top1: at[{i}] lies outside the box";
        var y = network.EvaluateExact(top.At.Select(Rational.FromDouble).ToArray());
        for (int j = 0; j < y.Length; j++)
            if (y[j] > y[top.Class]) return $"top1: class {top.Class} is not the nominal network's top class at \"at\" (class {j} is larger)";
        return null;
    }

    public static CheckReport Margins(CheckReport leavesValid, TopOneInput top, IReadOnlyList<NodeInput> nodes, IReadOnlyList<int> leaves)
    {
        if (top.Margin is not { } claimed || claimed.Length != leavesValid.ClaimedUpper!.Length)
            return CheckReport.Invalid($"top1.margin must list one bound per output ({leavesValid.ClaimedUpper!.Length})", leavesValid.Leaves);
        foreach (int i in leaves)
            for (int j = 0; j < claimed.Length; j++)
                if (j != top.Class && claimed[j] > nodes[i].Margin![j])
                    return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                        $"top1.margin[{j}] = {claimed[j]:R} is above leaf {i}'s margin {nodes[i].Margin![j]:R}"), leavesValid.Leaves);
        double worst = claimed.Where((_, j) => j != top.Class).DefaultIfEmpty(double.PositiveInfinity).Min();
        string verdict = worst > 0
            ? string.Create(CultureInfo.InvariantCulture, $"class {top.Class} is the unique top class on the whole box for every admissible δ (every margin ≥ {worst:G6})")
            : string.Create(CultureInfo.InvariantCulture, $"the margin bounds hold, but they do not certify class {top.Class} (worst {worst:G6} ≤ 0)");
        return leavesValid with { Message = leavesValid.Message + "; " + verdict };
    }

    public static CheckReport Flip(CertificateInput cert, TopOneInput top, WitnessInput w, Network network, ExactParameters delta, string netPath)
    {
        if (w.Output < 0 || w.Output >= network.OutputSize || w.Output == top.Class) return CheckReport.Invalid($"witness: rival {w.Output} is not another output");
        var (perturbed, inadmissible) = WitnessAdmission.Check(cert, w, network, delta);
        if (perturbed is null) return CheckReport.Invalid(inadmissible!);
        var y = perturbed.EvaluateExact(w.X.Select(Rational.FromDouble).ToArray());
        var margin = y[top.Class] - y[w.Output];
        if (margin.Sign > 0)
            return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"witness: y'_{top.Class} − y'_{w.Output} = {margin.ToDouble():G6} > 0 at x: the class does not change"));
        return new CheckReport(true, string.Create(CultureInfo.InvariantCulture,
            $"valid: the flip replays exactly: y'_{top.Class} − y'_{w.Output} = {margin.ToDouble():G6} ≤ 0 at a point of the box ({netPath})"), 0, null, null);
    }
}
