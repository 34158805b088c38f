using System.Diagnostics;
using Microsoft.Z3;
using Verify.Smt;

namespace Verify.Tests.Smt;

public class SolverSessionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Test]
    public void SatisfiableQueryReturnsAModelThatSatisfiesIt()
    {
        using var s = new SolverSession(Generous);
        var x = s.Context.MkRealConst("x");
        var y = s.Context.MkRealConst("y");
        s.Assert(s.Context.MkGt(s.Context.MkAdd(x, y), s.Context.MkReal(3)), s.Context.MkLt(x, s.Context.MkReal(2)),
                 s.Context.MkEq(y, s.Context.MkMul(s.Context.MkReal(2), x)));
        var r = s.Check();
        Assert.That(r.Status, Is.EqualTo(SmtStatus.Sat), r.ToString());
        var xv = ExactTerms.Evaluate(r.Model!, x)!.Value.Value;
        var yv = ExactTerms.Evaluate(r.Model!, y)!.Value.Value;
        Assert.That(yv, Is.EqualTo(2 * xv));
        Assert.That(xv + yv > 3, Is.True);
        Assert.That(xv > 1 && xv < 2, Is.True);
    }

    [Test]
    public void UnsatisfiableQueryIsUnsat()
    {
        using var s = new SolverSession(Generous);
        var x = s.Context.MkRealConst("x");
        s.Assert(s.Context.MkGt(x, s.Context.MkReal(1)), s.Context.MkLt(x, s.Context.MkReal(1)));
        Assert.That(s.Check().Status, Is.EqualTo(SmtStatus.Unsat));
    }

    [Test]
    public void TheShimIsLoadedOnLinux()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the shim is Linux only");
        using (var s = new SolverSession(Generous)) s.Check();
        var st = Z3Runtime.Stats()!.Value;
        Assert.That(st.ContextsCreated, Is.GreaterThan(0UL));
        Assert.That(st.ContextsDeleted, Is.GreaterThan(0UL));
    }

    [Test]
    public void ThreeHundredRoundsUnderForcedFinalizationDoNotCrash()
    {
        var before = Z3Runtime.Stats();
        var leftForFinalizers = new List<object>();
        for (int round = 0; round < 300; round++)
        {
            using (var s = new SolverSession(Generous, logic: "QF_LRA"))
            {
                var ctx = s.Context;
                var x = ctx.MkRealConst("x" + round);
                var terms = new List<ArithExpr>();
                for (int i = 0; i < 20; i++) terms.Add(ctx.MkMul(ctx.MkReal(i + 1, 7), x)); // garbage ASTs
                var sum = ctx.MkAdd(terms);
                s.Assert(ctx.MkGe(sum, ctx.MkReal(round)), ctx.MkLe(x, ctx.MkReal(1000)));
                // Not disposed on purpose: released by finalizer threads while this thread keeps using Z3.
                leftForFinalizers.Add(ctx.MkSolver());
                leftForFinalizers.Add(ctx.MkParams());
                if (round % 2 == 0) leftForFinalizers.Clear();
                // Start a collection without waiting: finalizers release this and earlier rounds' objects
                // on their own thread while this thread is inside Z3.
                GC.Collect();
                var r = s.Check();
                Assert.That(r.Status, Is.EqualTo(SmtStatus.Sat));
                using var v = r.Model!.Eval(x, true);
                Assert.That(v, Is.InstanceOf<RatNum>());
                if (round % 25 == 0)
                {
                    // A second check on the same context drains whatever the finalizers queued meanwhile.
                    s.Assert(ctx.MkLe(x, ctx.MkReal(2000)));
                    Assert.That(s.Check().Status, Is.EqualTo(SmtStatus.Sat));
                }
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        leftForFinalizers.Clear();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (before is { } b && Z3Runtime.Stats() is { } a)
        {
            Assert.That(a.Queued - b.Queued, Is.GreaterThan(300UL), "releases went through the shim's queue");
            Assert.That(a.Applied - b.Applied, Is.GreaterThan(0UL), "queued releases were applied at safe points");
            Assert.That(a.ContextsDeleted - b.ContextsDeleted, Is.EqualTo(300UL));
        }
    }

    [Test]
    public void TimeoutGivesUnknownTimeoutWithinTheLimit()
    {
        using var s = new SolverSession(TimeSpan.FromMilliseconds(300));
        HardQuery.Assert(s);
        var clock = Stopwatch.StartNew();
        var r = s.Check();
        Assert.That(r.Status, Is.EqualTo(SmtStatus.Unknown), r.ToString());
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Timeout), r.ToString());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
    }

    [TestCase(null)]
    [TestCase("QF_LRA")]
    public void TimeoutWorksForEitherSolverKind(string? logic)
    {
        using var s = new SolverSession(TimeSpan.FromMilliseconds(200), logic: logic);
        HardQuery.Assert(s);
        var r = s.Check();
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Timeout), r.ToString());
        Assert.That(r.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void CancellationInterruptsARunningCheckQuickly()
    {
        using var cts = new CancellationTokenSource();
        using var s = new SolverSession(TimeSpan.FromSeconds(60), cts.Token);
        HardQuery.Assert(s);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var r = s.Check();
        Assert.That(r.Status, Is.EqualTo(SmtStatus.Unknown), r.ToString());
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Cancelled), r.ToString());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        // The session stays honest afterwards: no answer, no exception.
        Assert.That(s.Check().Reason, Is.EqualTo(UnknownReason.Cancelled));
    }

    [Test]
    public void AlreadyCancelledTokenGivesUnknownWithoutSolving()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var s = new SolverSession(Generous, cts.Token);
        var r = s.Check();
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Cancelled));
    }
}

/// <summary>A query Z3 cannot finish in seconds: the pigeonhole principle for 12 pigeons in 11 holes.</summary>
internal static class HardQuery
{
    public static void Assert(SolverSession s)
    {
        var ctx = s.Context;
        const int holes = 11, pigeons = holes + 1;
        var p = new BoolExpr[pigeons, holes];
        for (int i = 0; i < pigeons; i++)
            for (int j = 0; j < holes; j++)
                p[i, j] = ctx.MkBoolConst($"p_{i}_{j}");
        for (int i = 0; i < pigeons; i++)
            s.Assert(ctx.MkOr(Enumerable.Range(0, holes).Select(j => p[i, j])));
        for (int j = 0; j < holes; j++)
            for (int a = 0; a < pigeons; a++)
                for (int b = a + 1; b < pigeons; b++)
                    s.Assert(ctx.MkOr(ctx.MkNot(p[a, j]), ctx.MkNot(p[b, j])));
    }
}
