using Verify.Bounds;
using Verify.Certify;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;
using Verify.Tests.Bounds;
using Verify.Tests.Search;

namespace Verify.Tests.Certify;

/// <summary>certify --top1's engine: verdicts, exactly replayed flips (δ = 0 when the nominal network already flips),
/// and misuse.</summary>
public class TopOneEngineTests
{
    private static TopOneQuery Query(Network net, Box box, PerturbationModel model, BoundMethod? method = null) =>
        new(net, box, model, method ?? BoundMethods.Auto, TimeSpan.FromSeconds(20)) { MaxSplits = 200 };

    [Test]
    public void HandNetworkIsVerifiedForSmallAndFalsifiedForLargePerturbations()
    {
        var net = FlipAttackTests.Hand();
        var point = Box.FromBounds([1.0], [1.0]);
        var small = TopOneEngine.Run(Query(net, point, PerturbationModel.Absolute(0.001)));
        Assert.That(small.Verdict, Is.EqualTo(Verdict.Verified));
        Assert.That(small.Class, Is.EqualTo(0));
        Assert.That(small.MarginLower[1], Is.GreaterThan(0).And.LessThanOrEqualTo(0.05));
        var large = TopOneEngine.Run(Query(net, point, PerturbationModel.Absolute(0.1)));
        Assert.That(large.Verdict, Is.EqualTo(Verdict.Falsified));
        Assert.That(large.FlipMargin!.Value.Sign, Is.LessThanOrEqualTo(0));
        Assert.That(large.Flip!.Replay(net, point, PerturbationModel.Absolute(0.1).ToBox(net)), Is.EqualTo(large.FlipMargin));
        var json = large.ToJson();
        Assert.That((string?)json["verdict"], Is.EqualTo("falsified"));
        Assert.That((int?)json["witness"]!["rival"], Is.EqualTo(1));
        Assert.That((double?)json["witness"]!["margin"], Is.LessThanOrEqualTo(0));
        Assert.That(json["witness"]!["delta"]!["layers"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public void ABoxAcrossTheDecisionBoundaryIsANominalFlip()
    {
        // y0 − y1 = 0.05 − relu(x)·0 … make the boundary explicit: y = (0.5, x) on x ∈ [0, 1], class 0 at the centre only by a tie.
        var net = new Network([
            DenseLayer.FromRows([[1.0]], [0.0], Activation.Relu),
            DenseLayer.FromRows([[0.0], [1.0]], [0.4, 0.0], Activation.Identity),
        ]);
        var r = TopOneEngine.Run(Query(net, Box.FromBounds([0.0], [1.0]), PerturbationModel.Absolute(0)));
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified));
        Assert.That(r.Class, Is.EqualTo(1));
        Assert.That(r.Flip!.NominalFlip, Is.True);
        Assert.That(r.Flip.Perturbed, Is.SameAs(net), "δ = 0");
        Assert.That(r.Flip.X[0], Is.LessThanOrEqualTo(0.4));
    }

    [Test]
    public void ATieAtTheCentreIsAFlipWithoutPerturbation()
    {
        var net = new Network([DenseLayer.FromRows([[1.0], [1.0]], [0.0, 0.0], Activation.Identity)]);
        var r = TopOneEngine.Run(Query(net, Box.FromBounds([0.5], [0.5]), PerturbationModel.Absolute(0.01)));
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Falsified));
        Assert.That(r.Flip!.NominalFlip, Is.True);
        Assert.That(r.FlipMargin!.Value.Sign, Is.EqualTo(0));
    }

    [Test]
    public void SplittingVerifiesWhatOnePassCannot()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = Box.FromBounds([0.09, 0.19, -0.31, 0.39, 0.49], [0.11, 0.21, -0.29, 0.41, 0.51]);
        var model = PerturbationModel.Absolute(1e-4);
        var linear = TopOneEngine.Run(Query(net, box, model, BoundMethods.Linear) with { AttackRestarts = 2 });
        var auto = TopOneEngine.Run(Query(net, box, model) with { MaxSplits = 2000, Timeout = TimeSpan.FromSeconds(120) });
        Assert.That(auto.WorstMarginLower, Is.GreaterThanOrEqualTo(linear.WorstMarginLower));
        Assert.That(auto.Verdict, Is.EqualTo(Verdict.Verified), $"linear {linear.WorstMarginLower}, auto {auto.WorstMarginLower} after {auto.Splits} splits");
    }

    [Test]
    public void FalsifiedAnswersOnRandomNetworksReplay()
    {
        int falsified = 0, verified = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            var rng = new Random(seed);
            var net = DeviationOracle.RandomNetwork(rng, [2, 6, 6, 3], dyadic: false, Activation.Relu);
            var x = DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, 2), false);
            var model = PerturbationModel.Absolute(seed % 2 == 0 ? 0.3 : 0.001);
            var r = TopOneEngine.Run(Query(net, MarginBoundTests.PointBox(x), model) with { Seed = seed });
            if (r.Verdict == Verdict.Falsified)
            {
                falsified++;
                var margin = r.Flip!.Replay(net, MarginBoundTests.PointBox(x), model.ToBox(net));
                Assert.That(margin!.Value.Sign, Is.LessThanOrEqualTo(0), $"seed {seed}");
                Assert.That(r.MarginLower[r.Flip.Rival], Is.LessThanOrEqualTo(0), $"seed {seed}");
            }
            if (r.Verdict == Verdict.Verified)
            {
                verified++;
                Assert.That(r.WorstMarginLower, Is.GreaterThan(0));
            }
        }
        Assert.That(falsified, Is.GreaterThan(0));
        Assert.That(verified, Is.GreaterThan(0));
    }

    /// <summary>`--method linear --optimize-slopes` reports the optimised margins (from the plain pass's enclosures, the
    /// same as a fresh optimising pass); without it, or with a certificate (which records the plain planes only), the
    /// plain ones.</summary>
    [Test]
    public void OptimizedSlopesReachTheMarginsUnlessACertificateIsAsked()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var point = MarginBoundTests.PointBox([0.1, 0.2, -0.3, 0.4, 0.5]);
        var model = PerturbationModel.Absolute(1e-3);
        var delta = model.ToBox(net);
        var plain = new LinearDifferenceBounder().Margins(net, point, delta, 3).Lower;
        var optimized = new LinearDifferenceBounder { OptimizeMargins = true, SlopeIterations = TopOneEngine.DefaultSlopeIterations }
            .Margins(net, point, delta, 3).Lower;
        Assert.That(optimized.Zip(plain).Count(p => p.First > p.Second), Is.GreaterThan(0), "the instance must gain from optimising");
        var q = Query(net, point, model, BoundMethods.Linear) with { AttackRestarts = 0 };
        Assert.That(TopOneEngine.Run(q).MarginLower, Is.EqualTo(plain));
        Assert.That(TopOneEngine.Run(q with { OptimizeSlopes = true }).MarginLower, Is.EqualTo(optimized));
        Assert.That(TopOneEngine.RunWithCertificate(q with { OptimizeSlopes = true, Certificate = true }).Result.MarginLower, Is.EqualTo(plain));
    }

    /// <summary>At a fixed input where the margin pass (optimised too) leaves a margin ≤ 0, auto branches on phases and
    /// verifies; linear stays unknown; with a certificate auto keeps the old answer (the checker cannot check phase
    /// domains) and writes none.</summary>
    [Test]
    public void AtAFixedInputAutoBranchesOnPhasesExceptForACertificate()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var point = MarginBoundTests.PointBox([0.1, 0.2, -0.3, 0.4, 0.5]);
        var model = PerturbationModel.Absolute(5e-4);
        var linear = TopOneEngine.Run(Query(net, point, model, BoundMethods.Linear));
        Assert.That(linear.Verdict, Is.EqualTo(Verdict.Unknown));
        var auto = TopOneEngine.Run(Query(net, point, model));
        Assert.That(auto.Verdict, Is.EqualTo(Verdict.Verified), $"worst margin {auto.WorstMarginLower} after {auto.Splits} splits");
        Assert.That(auto.Method, Is.EqualTo("auto-phase"));
        Assert.That(auto.Splits, Is.GreaterThan(0));
        Assert.That(auto.WorstMarginLower, Is.GreaterThan(0));
        var (withCert, cert) = TopOneEngine.RunWithCertificate(Query(net, point, model) with { Certificate = true });
        Assert.That(withCert.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(withCert.Reason, Does.Contain("--certificate"));
        Assert.That(cert, Is.Null);
    }

    /// <summary>Auto at fixed inputs of random networks, ε around where the class flips: a falsified answer's flip
    /// replays exactly, and no exactly replayed admissible (x, θ') beats a verified answer's margins.</summary>
    [Test]
    public void AnswersAtFixedInputsReplayExactly()
    {
        int falsified = 0, verified = 0;
        double[] eps = [0.003, 0.01, 0.03, 0.1];
        for (int seed = 0; seed < 24; seed++)
        {
            var rng = new Random(300 + seed);
            var net = DeviationOracle.RandomNetwork(rng, [3, 8, 8, 4], dyadic: seed % 2 == 0, Activation.Relu);
            var point = MarginBoundTests.PointBox(DeviationOracle.SampleX(rng, DeviationOracle.RandomBox(rng, 3), false));
            var model = PerturbationModel.Absolute(eps[seed % eps.Length]);
            var delta = model.ToBox(net);
            var r = TopOneEngine.Run(Query(net, point, model) with { Seed = seed, MaxSplits = 60 });
            if (r.Verdict == Verdict.Falsified)
            {
                falsified++;
                var margin = r.Flip!.Replay(net, point, delta);
                Assert.That(margin!.Value.Sign, Is.LessThanOrEqualTo(0), $"seed {seed}");
                Assert.That(delta.Admits(net, r.Flip.Perturbed), Is.True, $"seed {seed}");
            }
            else MarginReplay.AssertNoneBeats(net, point, delta, r.Class, r.MarginLower, rng, 12, $"seed {seed} {r.Verdict}");
            if (r.Verdict == Verdict.Verified) verified++;
        }
        Assert.That(falsified, Is.GreaterThan(0));
        Assert.That(verified, Is.GreaterThan(0));
    }

    /// <summary>A deadline that passes before splitting bounded its root box is an unknown, not a cancellation error.</summary>
    [Test]
    public void ADeadlineBeforeSplittingIsUnknown()
    {
        var net = TestData.Network("net_5_50x6_5.json");
        var box = Box.FromBounds([-1.0, -1, -1, -1, -1], [1.0, 1, 1, 1, 1]);
        var r = TopOneEngine.Run(Query(net, box, PerturbationModel.Absolute(1e-3)) with { Timeout = TimeSpan.FromTicks(1), AttackRestarts = 0 });
        Assert.That(r.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(r.Reason, Does.Contain("open"));
    }

    [Test]
    public void Misuse()
    {
        var net = FlipAttackTests.Hand();
        var point = Box.FromBounds([1.0], [1.0]);
        Assert.Throws<UsageException>(() => TopOneEngine.Run(Query(net, point, PerturbationModel.Absolute(0.1), BoundMethods.Z3)));
        Assert.Throws<UsageException>(() => TopOneEngine.Run(Query(net, point, PerturbationModel.Absolute(0.1), BoundMethods.Interval)));
        // --execution certificates exist now (tests/Verifier.Tests/Checker/ExecutionCertificateTests).
        Assert.DoesNotThrow(() => TopOneEngine.RunWithCertificate(Query(net, point, PerturbationModel.Absolute(0.1) with { Execution = ExecutionFormat.Parse("float32") }) with { Certificate = true }));
        var single = new Network([DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity)]);
        Assert.Throws<UsageException>(() => TopOneEngine.Run(Query(single, point, PerturbationModel.Absolute(0.1))));
    }
}
