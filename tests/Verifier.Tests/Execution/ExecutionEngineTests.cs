using Verify.Certify;
using Verify.Errors;
using Verify.Results;
using Verify.Specs;
using Verify.Tests.Search;

namespace Verify.Tests.Execution;

/// <summary>--execution through <see cref="CertifyEngine"/> and <see cref="CertifyQuery"/> (no CLI).</summary>
public class ExecutionEngineTests
{
    private static readonly Verify.Model.Network Net = SearchTestNets.Random(73, false, 2, 6, 6, 1);

    private static CertifyQuery Query(BoundMethod method, ExecutionFormat? execution) =>
        new(Net, SearchTestNets.Cube(2), PerturbationModel.Absolute(1e-3) with { Execution = execution }, method, TimeSpan.FromSeconds(30))
        {
            AttackRestarts = 4, MaxSplits = 8, Seed = 3,
        };

    [Test]
    public void TheBoundCoversTheRealOneAndWitnessesLieInTheUsersBox()
    {
        var real = CertifyEngine.Run(Query(BoundMethods.Linear, null));
        var half = CertifyEngine.Run(Query(BoundMethods.Linear, ExecutionFormat.Float16));
        Assert.That(half.ExecutionOverflow, Is.Null);
        Assert.That(half.SupUpper, Is.GreaterThan(real.SupUpper), "float16 rounding widens the box");
        var userBox = PerturbationModel.Absolute(1e-3).ToBox(Net);
        var best = half.SupLower ?? throw new AssertionException("the attack found no witness");
        Assert.That(userBox.Admits(Net, best.Witness.Perturbed), "the attack searches the user's real-arithmetic box, not the widened one");
        Assert.That(half.ToJson()["execution"]!["format"]!.GetValue<string>(), Is.EqualTo("float16"));
    }

    [Test]
    public void WithoutExecutionTheJsonHasNoExecutionField() =>
        Assert.That(CertifyEngine.Run(Query(BoundMethods.Interval, null)).ToJson().ContainsKey("execution"), Is.False);

    [Test]
    public void ExactAndBranchAndBoundAreUsageErrors()
    {
        Assert.Throws<UsageException>(() => CertifyEngine.Run(Query(BoundMethods.Z3, ExecutionFormat.Float32)));
        Assert.Throws<UsageException>(() => CertifyEngine.Run(Query(BoundMethods.Auto, ExecutionFormat.Float32) with { Gap = 0.1 }));
        Assert.Throws<UsageException>(() => CertifyEngine.Run(Query(BoundMethods.Auto, ExecutionFormat.Float32) with { TracePath = "t.csv" }));
    }

    [Test]
    public void NonFiniteValuesAreJsonNull()
    {
        var a = JsonArrays.FiniteOrNull([1.5, double.PositiveInfinity, double.NaN]);
        Assert.That(a.Count, Is.EqualTo(3));
        Assert.That(a[0]!.GetValue<double>(), Is.EqualTo(1.5));
        Assert.That(a[1], Is.Null);
        Assert.That(a[2], Is.Null);
    }
}
