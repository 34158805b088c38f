using Microsoft.Z3;
using Verify.Cli;
using Verify.Smt;

namespace Verify.Tests.Hardening;

/// <summary>
/// A Z3 interrupt (the run's --timeout, or Z3's own per-check limit) is "unknown", never an internal error: the campaign
/// saw `internal error: Z3Exception: canceled` (exit 70) once in 8 runs of `certify --method z3 --timeout 1`.
/// </summary>
[NonParallelizable]
public class SolverInterruptTests
{
    [Test]
    public void AnInterruptReachingTheCliIsUnknownNotAnInternalError()
    {
        var (oldErr, err) = (Console.Error, new StringWriter());
        Console.SetError(err);
        int code;
        try { code = VerbRunner.Run(() => throw new Z3Exception("canceled")); }
        finally { Console.SetError(oldErr); }
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.ToString().Trim(), Does.StartWith("verify: timeout").And.Not.Contain("internal"));
        Assert.That(err.ToString().Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void OtherZ3FailuresStayInternalErrors()
    {
        Assert.That(SolverSession.IsInterruption(new Z3Exception("Sort mismatch")), Is.False);
        Assert.That(SolverSession.IsInterruption(new InvalidOperationException("canceled")), Is.False);
        Assert.That(SolverSession.IsInterruption(new Z3Exception("canceled")), Is.True);
    }

    [Test]
    public void ASessionInterruptedByItsTokenSaysSoAndAnswersUnknown()
    {
        using var cts = new CancellationTokenSource();
        using var s = new SolverSession(TimeSpan.FromSeconds(20), cts.Token);
        var x = s.Context.MkRealConst("x");
        s.Assert(s.Context.MkGt(x, s.Context.MkReal(1)));
        Assert.That(s.IsInterrupted, Is.False);
        cts.Cancel();
        Assert.That(s.IsInterrupted, Is.True);
        var r = s.Check();
        Assert.That(r.IsUnknown && r.Reason == UnknownReason.Cancelled, r.ToString());
    }

    /// <summary>The command line, with timeouts short enough that Z3 is interrupted at varying points.</summary>
    [TestCase("1")]
    [TestCase("0.3")]
    [TestCase("0.1")]
    public void CertifyWithZ3AndAShortTimeoutEndsWithAnAnswerOrUnknown(string timeout)
    {
        var net = Hostile.Path("z3_cancel_3_20_20_2.json");
        foreach (var extra in new[] { new[] { "--lo=0.1,0.2,0.3", "--hi=0.1,0.2,0.3", "--eps", "0.1", "--layers", "2" },
                                      new[] { "--lo=0,0,0", "--hi=0.3,0.3,0.3", "--eps", "0.01" } })
        {
            var (code, _, err) = CliRunner.Run(["certify", "--net", net, .. extra, "--method", "z3", "--timeout", timeout]);
            Assert.That(code, Is.EqualTo(0).Or.EqualTo(2), err);
            Assert.That(err, Does.Not.Contain("internal error"));
        }
    }
}
