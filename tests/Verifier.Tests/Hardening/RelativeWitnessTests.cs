using System.Text.Json.Nodes;
using Verify.Intervals;
using Verify.Io;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Hardening;

/// <summary>
/// Relative mode admits |δ| ≤ ε·|θ| for the real numbers. ε·|θ| is rarely a double, so a witness built from its
/// rounded-up value can lie just outside the set (issue 19: L exceeded the true supremum by 7e-18 on a 1-1-1 network,
/// and a subnormal weight gave δ = 2⁻¹⁰⁷⁴, 1000× the radius). Every reported witness must lie inside exactly.
/// </summary>
[NonParallelizable]
public class RelativeWitnessTests
{
    /// <summary>Whether every parameter of <paramref name="perturbed"/> is within ε·|θ| of the nominal, in rationals.</summary>
    private static bool InsideExactly(Network nominal, Network perturbed, double eps)
    {
        var e = Rational.FromDouble(eps);
        bool Within(double t, double tp) =>
            Rational.Abs(Rational.FromDouble(tp) - Rational.FromDouble(t)) <= e * Rational.Abs(Rational.FromDouble(t));
        for (int l = 0; l < nominal.Depth; l++)
        {
            var a = nominal.Layers[l]; var b = perturbed.Layers[l];
            for (int k = 0; k < a.Weights.Length; k++) if (!Within(a.Weights[k], b.Weights[k])) return false;
            for (int k = 0; k < a.Outputs; k++) if (!Within(a.Bias[k], b.Bias[k])) return false;
        }
        return true;
    }

    private static (JsonNode Result, Network Witness) Certify(string net, double eps, string method)
    {
        var json = Hostile.Scratch("r.json"); var witness = Hostile.Scratch("w.json");
        try
        {
            var (code, _, err) = CliRunner.Run("certify", "--net", net, "--lo=-1", "--hi=-1", "--eps", eps.ToString("R"), "--relative",
                                               "--layers", "1", "--weights-only", "--method", method, "--json", json, "--witness-out", witness);
            Assert.That(code, Is.EqualTo(0), err);
            return (JsonNode.Parse(File.ReadAllText(json))!, NetworkFiles.Read(witness));
        }
        finally { File.Delete(json); File.Delete(witness); }
    }

    [TestCase("linear")]
    [TestCase("ibp")]
    [TestCase("z3")]
    public void TheIssuesOneOneOneWitnessStaysBelowTheTrueSupremum(string method)
    {
        var path = Hostile.Path("relative_witness_1_1_1.json");
        var nominal = NetworkFiles.Read(path);
        var (result, witness) = Certify(path, 0.1, method);
        // sup over |δ| ≤ 0.1·|w| of |relu(−(w + δ)) − relu(−w)| at x = −1 is exactly 0.1·|w| (w < 0).
        var supremum = Rational.FromDouble(0.1) * Rational.Abs(Rational.FromDouble(nominal.Layers[0].Weights[0]));
        var lower = Rational.Parse(result["supLowerExact"]!.GetValue<string>());
        Assert.That(lower <= supremum, $"L = {lower} above the true supremum {supremum}");
        Assert.That(lower.ToDouble(), Is.EqualTo(supremum.ToDouble()).Within(1e-15), "still the best witness, up to rounding");
        Assert.That(InsideExactly(nominal, witness, 0.1), "--witness-out network outside |δ| ≤ ε|θ|");
        Assert.That(result["supUpper"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(supremum.ToDouble()));
    }

    [Test]
    public void ASubnormalWeightGetsNoUlpOfPerturbationBeyondItsRadius()
    {
        var path = Hostile.Path("subnormal_weight_1_1_1.json");
        var nominal = NetworkFiles.Read(path);
        var (result, witness) = Certify(path, 1e-3, "linear");
        // 1e-3·1e-321 is below the smallest subnormal, so the only double δ inside the set is 0.
        Assert.That(InsideExactly(nominal, witness, 1e-3));
        Assert.That(witness.Layers[0].Weights[0], Is.EqualTo(nominal.Layers[0].Weights[0]));
        Assert.That(Rational.Parse(result["supLowerExact"]!.GetValue<string>()).IsZero);
    }

    [Test]
    public void TheInnerBoxLiesInsideAndTheEnclosureAround()
    {
        var net = NetworkFiles.Read(Hostile.Path("relative_witness_1_1_1.json"));
        var box = PerturbationModel.Relative(0.1).ToBox(net);
        var exact = Rational.FromDouble(0.1) * Rational.Abs(Rational.FromDouble(net.Layers[0].Weights[0]));
        Assert.That(Rational.FromDouble(box.Inner[0].WeightHi[0]) <= exact && exact <= Rational.FromDouble(box.Layers[0].WeightHi[0]));
        Assert.That(Rational.FromDouble(-box.Inner[0].WeightLo[0]) <= exact && exact <= Rational.FromDouble(-box.Layers[0].WeightLo[0]));
        // The enclosure's endpoint is not admissible: ε·|w| is not a double here.
        var beyond = net.Layers[0].Weights[0] + box.Layers[0].WeightHi[0];
        var outside = net.WithLayers([net.Layers[0].With([beyond], net.Layers[0].Bias.ToArray()), net.Layers[1]]);
        Assert.That(box.Admits(net, outside), Is.EqualTo(InsideExactly(net, outside, 0.1)));
    }
}
