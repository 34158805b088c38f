using Verify.Intervals;
using Verify.Model;
using Verify.Smt;
using Verify.Specs;

namespace Verify.Tests.Smt;

/// <summary>
/// A certified maximum as a self-contained SMT-LIB2 decision query: Z3's own parser reads the text back and decides it
/// unsat at the certified maximum and sat below a replayed witness; cvc5 (when installed) agrees.
/// </summary>
public class DecisionQueryTests
{
    private static readonly Box Unit2 = Box.FromBounds([-1.0, -1.0], [1.0, 1.0]);

    private static ParameterBox Delta(Network net, params int[] layers) =>
        new PerturbationModel { Eps = [0.01], LayerMask = layers.Length == 0 ? null : layers.ToHashSet() }.ToBox(net);

    private static readonly DeviationMaximizeOptions Options = new()
    {
        CheckTimeout = TimeSpan.FromSeconds(20), TotalTimeout = TimeSpan.FromSeconds(20), MaxChecks = 300,
    };

    [TestCase(2)]   // the last layer: the maximiser's last-layer programme
    [TestCase()]    // every layer: nonlinear for the maximiser, linear here (δ projected away)
    public void TheCertifiedMaximumIsUnsatAndBelowTheWitnessIsSat(params int[] layers)
    {
        var net = DeviationMaximizerTests.Net231();
        var delta = Delta(net, layers);
        var max = DeviationMaximizer.Maximize(net, Unit2, delta, 0, Options);
        Assert.That(max.Witness, Is.Not.Null);
        string? unsat = DecisionQuery.Write(net, Unit2, delta, 0, max.UpperDouble);
        Assert.That(unsat, Does.Contain("(set-logic QF_LRA)").And.Contain("(check-sat)").And.Contain("; expected: unsat"));
        Assert.That(DecisionQuery.Decide(unsat!, TimeSpan.FromSeconds(30)), Is.EqualTo(SmtStatus.Unsat));
        // Below a replayed witness the negated claim has a model: a lowered bound is refuted.
        double below = max.Witness!.Value * 0.99;
        Assert.That(DecisionQuery.Decide(DecisionQuery.Write(net, Unit2, delta, 0, below)!, TimeSpan.FromSeconds(30)), Is.EqualTo(SmtStatus.Sat));
    }

    [Test]
    public void NumbersAreTheExactRationalsOfTheDoubles()
    {
        Assert.That(DecisionQuery.Num(0.1), Is.EqualTo("(/ 3602879701896397 36028797018963968)"));
        Assert.That(DecisionQuery.Num(-3.0), Is.EqualTo("(- 3)"));
        Assert.That(DecisionQuery.Num(-0.5), Is.EqualTo("(- (/ 1 2))"));
    }

    [Test]
    public void NormBallsAreNotWritten()
    {
        var net = DeviationMaximizerTests.Net231();
        var ball = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = 1, Norm = MatrixNorm.Frobenius, Ratio = 0.1 }.ToBox(net);
        Assert.That(DecisionQuery.Write(net, Unit2, ball, 0, 1.0), Is.Null);
    }

    /// <summary>The second solver reads the same text (no Z3-only syntax) and gives the same answers.</summary>
    [Test]
    public void Cvc5DecidesTheSameText()
    {
        string? cvc5 = Cvc5.Path();
        if (cvc5 is null) Assert.Ignore("cvc5 not on PATH");
        var net = DeviationMaximizerTests.Net231();
        var delta = Delta(net);
        var max = DeviationMaximizer.Maximize(net, Unit2, delta, 0, Options);
        Assert.That(Cvc5.Decide(cvc5!, DecisionQuery.Write(net, Unit2, delta, 0, max.UpperDouble)!), Is.EqualTo("unsat"));
        Assert.That(Cvc5.Decide(cvc5!, DecisionQuery.Write(net, Unit2, delta, 0, max.Witness!.Value * 0.99)!), Is.EqualTo("sat"));
    }
}

/// <summary>cvc5 for the tests that need it: its path on PATH (null when absent) and its first answer line.</summary>
internal static class Cvc5
{
    public static string? Path() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "cvc5")).FirstOrDefault(File.Exists);

    public static string Decide(string cvc5, string smt2)
    {
        string file = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, smt2);
            var start = new System.Diagnostics.ProcessStartInfo(cvc5) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "--lang", "smt2", "--tlimit=60000", file }) start.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(start)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output.Split('\n')[0].Trim();
        }
        finally { File.Delete(file); }
    }
}
