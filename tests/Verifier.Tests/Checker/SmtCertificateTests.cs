using System.Text.Json.Nodes;
using Verify.Smt;
using Verify.Tests.Smt;

namespace Verify.Tests.Checker;

/// <summary>
/// `certify --method z3 --certificate` and `--smt2-out`: the outputs Z3 closed carry SMT-LIB2 queries per leaf, which
/// `check` re-decides with cvc5 (exit 0), reports as not re-decided without it (exit 2), and refutes when tampered.
/// </summary>
[NonParallelizable]
public class SmtCertificateTests : CertificateFolderTests
{
    /// <summary>2-4-3-2: small enough for Z3 to close every output in a second or two.</summary>
    private const string Small = """
        {"layers": [
         {"W": [[1, -0.5], [0.7, 1], [-1, 0.3], [0.2, 0.9]], "b": [0.1, -0.2, 0.05, 0], "activation": "relu"},
         {"W": [[1, 3, -1, 0.5], [0.5, -2, 1, 1], [-0.3, 0.4, 0.8, -1]], "b": [0, 0.1, -0.1], "activation": "relu"},
         {"W": [[1, -2, 0.5], [0.25, 2, -1]], "b": [0.3, 0], "activation": "identity"}]}
        """;

    /// <param name="extra">the query: the last layer perturbed over [−1, 1]², or every layer at a fixed x</param>
    private (string Cert, string Smt2) Certify(params string[] extra)
    {
        string net = Path.Combine(Dir, "small.json");
        File.WriteAllText(net, Small);
        string cert = Path.Combine(Dir, "z3.json"), smt2 = Path.Combine(Dir, "smt2");
        var (code, output, err) = CliRunner.Run(["certify", "--net", net, "--eps", "0.01", "--method", "z3", "--timeout", "20",
            "--certificate", cert, "--smt2-out", smt2, .. extra]);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Contain("SMT-LIB2 queries for the outputs Z3 closed"));
        return (cert, smt2);
    }

    private static readonly string[] LastLayer = ["--lo", "-1", "--hi", "1", "--layers", "3"];
    private static readonly string[] FixedX = ["--x", "0.3,-0.2"];

    [Test]
    public void Z3ClaimsCarryQueriesAndTheClaimIsTheEnginesAnswer()
    {
        var (cert, _) = Certify(LastLayer);
        var o = Load(cert);
        var smt = o["smt"]!.AsArray();
        Assert.That(smt, Is.Not.Empty);
        // The claim is Z3's U, not the looser bound of the re-bounded leaves.
        var upper = o["upper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var engine = o["engineUpper"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.That(upper, Is.EqualTo(engine));
        foreach (var q in smt)
        {
            Assert.That(q!["logic"]!.GetValue<string>(), Is.EqualTo("QF_LRA"));
            Assert.That(q["expected"]!.GetValue<string>(), Is.EqualTo("unsat"));
        }
    }

    /// <summary>Every file --smt2-out wrote is listed in the manifest with its SHA-256, and Z3's own parser reads it back
    /// and re-decides it as unsat; lowering the bound inside the text below the replayed witness makes it sat.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public void TheWrittenQueriesParseBackAndAreUnsat(bool fixedX)
    {
        var (cert, dir) = Certify(fixedX ? FixedX : LastLayer);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["queries"]!.AsArray();
        Assert.That(manifest, Has.Count.EqualTo(Load(cert)["smt"]!.AsArray().Count));
        foreach (var entry in manifest)
        {
            string text = File.ReadAllText(Path.Combine(dir, entry!["file"]!.GetValue<string>()));
            Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))),
                Is.EqualTo(entry["sha256"]!.GetValue<string>()));
            Assert.That(DecisionQuery.Decide(text, TimeSpan.FromSeconds(30)), Is.EqualTo(SmtStatus.Unsat));
            string bound = DecisionQuery.Num(entry["bound"]!.GetValue<double>());
            string lowered = text.Replace(bound, DecisionQuery.Num(entry["bound"]!.GetValue<double>() / 4));
            Assert.That(lowered, Is.Not.EqualTo(text));
            Assert.That(DecisionQuery.Decide(lowered, TimeSpan.FromSeconds(30)), Is.EqualTo(SmtStatus.Sat));
        }
    }

    [Test]
    public void WithoutCvc5TheAnswerIsNotValidButNotReDecided()
    {
        var (cert, _) = Certify(LastLayer);
        var (code, output) = Check(cert, "--cvc5", Path.Combine(Dir, "no-such-cvc5"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.StartWith("not fully checked").And.Contain("were NOT re-decided: cvc5 is not installed"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Cvc5ReDecidesTheQueries(bool fixedX)
    {
        if (Cvc5.Path() is null) Assert.Ignore("cvc5 not on PATH");
        var (cert, _) = Certify(fixedX ? FixedX : LastLayer);
        var (code, output) = Check(cert);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("re-decided unsat by cvc5").And.Contain("each identical to the recorded one"));
    }

    /// <summary>A claimed bound lowered below the replayed witness, with a query at that bound for every leaf: the checker
    /// writes its own query per leaf, and cvc5 finds a point above the bound in the leaf that holds the witness.</summary>
    [Test]
    public void ALoweredClaimIsRefutedByCvc5()
    {
        if (Cvc5.Path() is null) Assert.Ignore("cvc5 not on PATH");
        var (cert, _) = Certify(LastLayer);
        var o = Load(cert);
        var q = o["smt"]!.AsArray()[0]!;
        int j = q["output"]!.GetValue<int>();
        double lowered = q["bound"]!.GetValue<double>() / 4;
        var smt = new JsonArray(o["smt"]!.AsArray().Where(e => e!["output"]!.GetValue<int>() != j).Select(e => e!.DeepClone()).ToArray());
        var nodes = o["nodes"]!.AsArray();
        var parents = nodes.Select(n => n!["parent"]!.GetValue<int>()).ToHashSet();
        foreach (int leaf in Enumerable.Range(0, nodes.Count).Where(i => !parents.Contains(i)))
        {
            var e = q.DeepClone();
            e["node"] = leaf;
            e["bound"] = lowered;
            smt.Add(e);
        }
        o["smt"] = smt;
        o["upper"]!.AsArray()[j] = lowered;
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"output {j}").And.Contain("(the query is sat): the claim is false"));
    }

    /// <summary>Without cvc5 too: a claim lowered below its query's bound is not covered, an edited query text does not
    /// match its SHA-256, and a query removed leaves its leaf's bound above the claim.</summary>
    [Test]
    public void TamperingWithoutASolverIsRejected()
    {
        var (cert, _) = Certify(LastLayer);
        string noCvc5 = Path.Combine(Dir, "no-such-cvc5");

        var o = Load(cert);
        int j = o["smt"]!.AsArray()[0]!["output"]!.GetValue<int>();
        o["upper"]!.AsArray()[j] = o["upper"]!.AsArray()[j]!.GetValue<double>() / 2;
        var (code, output) = Check(Save(o), "--cvc5", noCvc5);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"upper[{j}]").And.Contain("is below leaf"));

        o = Load(cert);
        o["smt"]!.AsArray()[0]!["query"] = o["smt"]!.AsArray()[0]!["query"]!.GetValue<string>().Replace("(check-sat)", "(check-sat) ");
        (code, output) = Check(Save(o), "--cvc5", noCvc5);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("does not match its SHA-256"));

        o = Load(cert);
        o["smt"]!.AsArray().RemoveAt(0);
        (code, output) = Check(Save(o), "--cvc5", noCvc5);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("is below leaf"));
    }

    [Test]
    public void Smt2OutNeedsZ3() =>
        CliRunner.Fails(64, ["certify", "--net", TestData.Path("net_2_16_16_1.json"), "--lo", "-1", "--hi", "1", "--eps", "1e-3",
            "--method", "linear", "--smt2-out", Path.Combine(Dir, "q")], "--smt2-out applies to --method z3");
}
