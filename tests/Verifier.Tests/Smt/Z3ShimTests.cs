using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Z3;
using Verify.Smt;

namespace Verify.Tests.Smt;

/// <summary>The shim's guarantees, observed through its counters (Linux only: elsewhere there is no shim).</summary>
public class Z3ShimTests
{
    [DllImport("libz3", EntryPoint = "Z3_dec_ref")]
    private static extern void DecRef(IntPtr ctx, IntPtr ast);

    [DllImport("libz3", EntryPoint = "Z3_interrupt")]
    private static extern void Interrupt(IntPtr ctx);

    [SetUp]
    public void LinuxOnly()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the shim is Linux only");
        Z3Runtime.EnsureLoaded();
    }

    private static IntPtr NativeContext(Context ctx) =>
        (IntPtr)typeof(Context).GetProperty("nCtx", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(ctx)!;

    private static IntPtr NativeObject(Z3Object o) =>
        (IntPtr)typeof(Z3Object).GetProperty("NativeObject", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(o)!;

    [Test]
    public void ReleasesAndInterruptsForADeletedContextAreDropped()
    {
        IntPtr ctxPtr, astPtr;
        using (var s = new SolverSession(TimeSpan.FromSeconds(5)))
        {
            var x = s.Context.MkRealConst("x");
            var sum = s.Context.MkAdd(x, s.Context.MkReal(1));
            ctxPtr = NativeContext(s.Context);
            astPtr = NativeObject(sum);
            s.Check();
        }
        var before = Z3Runtime.Stats()!.Value;
        DecRef(ctxPtr, astPtr);   // a late release, as a racing finalizer could issue it
        Interrupt(ctxPtr);        // a late interrupt, as an unlocked Context.Interrupt could issue it
        var after = Z3Runtime.Stats()!.Value;
        Assert.That(after.Dropped - before.Dropped, Is.EqualTo(1UL));
        Assert.That(after.InterruptsDropped - before.InterruptsDropped, Is.EqualTo(1UL));
        Assert.That(after.Applied, Is.EqualTo(before.Applied));
    }

    [Test]
    public void DeletedContextsStayQuarantinedThenAreFreed()
    {
        using (var s = new SolverSession(TimeSpan.FromSeconds(5))) s.Check();
        Assert.That(Z3Runtime.Stats()!.Value.ContextsQuarantined, Is.GreaterThan(0UL));
        Z3Runtime.FlushRetiredContexts();
        Assert.That(Z3Runtime.Stats()!.Value.ContextsQuarantined, Is.EqualTo(0UL));
    }

    [Test]
    public void ReleasesFromAnotherThreadDuringACheckWaitForASafePoint()
    {
        var s = new SolverSession(TimeSpan.FromMilliseconds(800));
        var ctx = s.Context;
        HardQuery.Assert(s);
        var garbage = Enumerable.Range(0, 2000).Select(i => ctx.MkAdd(ctx.MkRealConst("g" + i), ctx.MkReal(i))).ToList();
        ulong appliedDuringCheck = 0, queuedDuringCheck = 0;
        var releaser = Task.Run(() =>
        {
            Thread.Sleep(200); // the main thread is inside Z3 now
            var before = Z3Runtime.Stats()!.Value;
            foreach (var g in garbage) g.Dispose();
            var after = Z3Runtime.Stats()!.Value;
            appliedDuringCheck = after.Applied - before.Applied;
            queuedDuringCheck = after.Queued - before.Queued;
        });
        var r = s.Check();
        releaser.Wait();
        Assert.That(r.Reason, Is.EqualTo(UnknownReason.Timeout), "the check was still running while releasing");
        Assert.That(queuedDuringCheck, Is.EqualTo(2000UL));
        Assert.That(appliedDuringCheck, Is.EqualTo(0UL), "nothing is released while another thread is inside Z3");
        var beforeDispose = Z3Runtime.Stats()!.Value;
        s.Dispose();
        var afterDispose = Z3Runtime.Stats()!.Value;
        Assert.That(afterDispose.Applied - beforeDispose.Applied, Is.GreaterThanOrEqualTo(2000UL), "drained on deletion");
    }
}
