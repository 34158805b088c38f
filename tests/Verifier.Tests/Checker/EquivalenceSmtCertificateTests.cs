using System.Text.Json.Nodes;
using Verify.Certificates;
using Verify.Equivalence;
using Verify.Io;
using Verify.Results;
using Verify.Tests.Equivalence;
using Verify.Tests.Smt;

namespace Verify.Tests.Checker;

/// <summary>
/// Equivalence certificates with parts Z3 closed (`equiv --exact-parts on`): a 2-4-3-1 network against its deeper copy
/// (an identity ReLU layer before the output: the same function, another architecture) at ε = 0, where bounds alone
/// never close a part. Each Z3 part is a leaf with an SMT-LIB2 decision query "|Δf| &gt; 0", which `check` re-decides
/// with cvc5 on its own query (valid, exit 0), reports as not re-decided without cvc5 (exit 2), and a query whose
/// recorded text was changed is rejected.
/// </summary>
[NonParallelizable]
public class EquivalenceSmtCertificateTests : CertificateFolderTests
{
    private static string _shared = "", _certificate = "";

    /// <summary>The engine runs once (Z3 on every part); each test works on a copy in its own folder.</summary>
    [OneTimeSetUp]
    public void MakeCertificate()
    {
        Directory.CreateDirectory(_shared = Path.Combine(Path.GetTempPath(), $"eqsmt-{Guid.NewGuid():N}"));
        var f1 = EquivFixtures.Random(21, 2, 4, 3, 1);
        var f2 = MergedPairTests.Deeper(f1);
        string a = Path.Combine(_shared, "a.json"), b = Path.Combine(_shared, "b.json");
        File.WriteAllBytes(a, new JsonNetworkFormat().Write(f1));
        File.WriteAllBytes(b, new JsonNetworkFormat().Write(f2));
        // Z3 may take all the time (ExactShare 1): at ε = 0 nothing else closes a part.
        var q = new EquivalenceQuery(f1, f2, EquivFixtures.Cube(2, 1), 0, false)
        {
            Timeout = TimeSpan.FromSeconds(120), Threads = 1, ExactParts = ExactPartsMode.On, ExactShare = 1,
            FirstPath = a, FirstSha256 = Verify.Certify.CertifyQuery.Sha256Of(File.ReadAllBytes(a)),
            SecondPath = b, SecondSha256 = Verify.Certify.CertifyQuery.Sha256Of(File.ReadAllBytes(b)),
        };
        var (r, cert, why) = new EquivalenceChecker().CheckWithCertificate(q);
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(r.ExactPartsClosed, Is.GreaterThan(0));
        Assert.That(cert, Is.Not.Null, why);
        Assert.That(cert!.Smt, Is.Not.Empty, "ε = 0 is closed by Z3 only, so every leaf needs its query");
        Assert.That(cert.Upper, Is.All.EqualTo(0.0));
        File.WriteAllText(_certificate = Path.Combine(_shared, "z3.json"), CertificateJson.ToJson(cert).ToJsonString());
    }

    [OneTimeTearDown]
    public void DeleteShared() => Directory.Delete(_shared, recursive: true);

    private static string Certificate() => _certificate;

    [Test]
    public void Cvc5ReDecidesTheZ3Parts()
    {
        if (Cvc5.Path() is null) Assert.Ignore("cvc5 not on PATH");
        var (code, output) = Check(Certificate());
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.StartWith("valid:").And.Contain("re-decided unsat by cvc5").And.Contain("equivalent within ε = 0 "));
    }

    [Test]
    public void WithoutCvc5TheAnswerIsNotValidButNotReDecided()
    {
        var (code, output) = Check(Certificate(), "--cvc5", Path.Combine(Dir, "no-such-cvc5"));
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.StartWith("not fully checked").And.Contain("cvc5 is not installed"));
    }

    /// <summary>Without its query a Z3 leaf's own bound is above the claim 0.</summary>
    [Test]
    public void ARemovedQueryIsRejected()
    {
        var o = Load(Certificate());
        o["smt"]!.AsArray().RemoveAt(0);
        var (code, output) = Check(Save(o));
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("upper[0] = 0 is below leaf"));
    }
}
