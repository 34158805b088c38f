using System.Globalization;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// Top-1 equivalence certificates (`equiv --top1 --certificate`: perturbation kind "network" with a top1 claim). The
/// second network B is the first, A, with the one admissible δ = θ_B − θ_A, so the nodes' margins bound B's y'_c − y'_j
/// as for `certify --top1`; each node also records A's own margins y_c − y_j (checked by <see cref="ExactNode"/>).
/// Bounded: both claimed margin vectors at most every leaf's and ≥ 0 means class c is a top class of both networks at
/// every x of the box, so their argmax sets meet: they agree. Falsified: at the witness point the exact argmax sets of
/// A and B are disjoint.
/// </summary>
internal static class TopOneEquivalenceCheck
{
    /// <summary>The margins report of a valid tree, with A's margins checked against every leaf and the agreement verdict.</summary>
    public static CheckReport Agreement(CheckReport marginsValid, TopOneInput top, IReadOnlyList<NodeInput> nodes, IReadOnlyList<int> leaves)
    {
        if (!marginsValid.Valid) return marginsValid;
        int m = marginsValid.ClaimedUpper!.Length;
        if (top.NominalMargin is not { } claimed || claimed.Length != m)
            return CheckReport.Invalid($"top1.nominalMargin must list one bound per output ({m}): agreement needs the first network's margins", marginsValid.Leaves);
        foreach (int i in leaves)
        {
            if (nodes[i].NominalMargin is not { } own) return CheckReport.Invalid($"node {i} (a leaf): it records no nominalMargin", marginsValid.Leaves);
            for (int j = 0; j < m; j++)
                if (j != top.Class && claimed[j] > own[j])
                    return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                        $"top1.nominalMargin[{j}] = {claimed[j]:R} is above leaf {i}'s nominal margin {own[j]:R}"), marginsValid.Leaves);
        }
        var rivals = Enumerable.Range(0, m).Where(j => j != top.Class).ToList();
        double worst = rivals.Select(j => Math.Min(claimed[j], top.Margin![j])).DefaultIfEmpty(double.PositiveInfinity).Min();
        string verdict = worst > 0
            ? string.Create(CultureInfo.InvariantCulture, $"the networks agree on the top class on the whole box: class {top.Class} is the unique top class of both (every margin ≥ {worst:G6})")
            : worst == 0
            ? string.Create(CultureInfo.InvariantCulture, $"the networks agree on the top class on the whole box: class {top.Class} is a top class of both (margins ≥ 0, ties possible)")
            : string.Create(CultureInfo.InvariantCulture, $"the margin bounds hold, but they do not prove top-1 agreement (worst margin of class {top.Class}: {worst:G6} < 0)");
        // TopOneCheck's sentence is about δ; here the one δ is the second network, and the verdict above says it all.
        string message = marginsValid.Message;
        int cut = message.LastIndexOf("; ", StringComparison.Ordinal);
        return marginsValid with { Message = (cut >= 0 ? message[..cut] : message) + "; " + verdict };
    }

    /// <summary>An exact symmetric copy (<see cref="SymmetryCheck"/>): f_B = f_A everywhere, so the argmax sets are
    /// equal at every x and agreement holds trivially; c is only A's top class at the recorded point.</summary>
    public static CheckReport Identical(CheckReport proof, TopOneInput top) => !proof.Valid ? proof : proof with
    {
        Message = proof.Message + $"; the networks agree on the top class at every x (identical functions have the same argmax set everywhere; class {top.Class} at the box centre)",
    };

    /// <summary>The witness: θ′ must be B exactly (admissible δ), and the argmax sets of A and B at x disjoint.</summary>
    public static CheckReport Disagreement(CertificateInput cert, TopOneInput top, WitnessInput w, Network network, ExactParameters delta, string netPath)
    {
        if (w.Output < 0 || w.Output >= network.OutputSize) return CheckReport.Invalid($"witness: class {w.Output} does not exist");
        var (second, inadmissible) = WitnessAdmission.Check(cert, w, network, delta);
        if (second is null) return CheckReport.Invalid(inadmissible!);
        var x = w.X.Select(Rational.FromDouble).ToArray();
        var a = Argmax(network.EvaluateExact(x));
        var b = Argmax(second.EvaluateExact(x));
        if (!a.Contains(top.Class)) return CheckReport.Invalid($"witness: class {top.Class} is not a top class of the first network at x (its top classes: {string.Join(", ", a)})");
        if (!b.Contains(w.Output)) return CheckReport.Invalid($"witness: class {w.Output} is not a top class of the second network at x (its top classes: {string.Join(", ", b)})");
        int shared = a.Intersect(b).DefaultIfEmpty(-1).First();
        if (shared >= 0)
            return CheckReport.Invalid($"witness: class {shared} is a top class of both networks at x: they agree there");
        return new CheckReport(true, $"valid: the disagreement replays exactly: at a point of the box the first network's top class is {top.Class}, the second's {w.Output} (argmax sets disjoint, exact) ({netPath}); the networks do not agree on the top class", 0, null, null);
    }

    private static int[] Argmax(Rational[] y)
    {
        var max = y.Max();
        return Enumerable.Range(0, y.Length).Where(j => y[j] == max).ToArray();
    }
}
