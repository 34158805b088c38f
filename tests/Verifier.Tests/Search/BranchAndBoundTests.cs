using Verify.Bab;
using Verify.Bounds;
using Verify.Certify;
using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

public class BranchAndBoundTests
{
    private const double Eps = 1.0 / 64;
    private static readonly AttackOptions Quick = new() { Restarts = 4, Steps = 40, LocalSearchRounds = 4 };

    /// <summary>
    /// 1-6-1 with only the last layer perturbed: sup |Δf| = ε(max_x Σ h_i(x) + 1), and Σ h_i is convex in x, so the
    /// maximum over an interval is at one of its ends. All numbers are dyadic, hence exact in doubles.
    /// </summary>
    private static Network OneD() => SearchTestNets.Random(31, false, 1, 6, 1);

    private static double ExactOn(Network net, double lo, double hi)
    {
        double Sum(double x) { var h = net.Layers[0]; double s = 0; for (int i = 0; i < h.Outputs; i++) s += Math.Max(0, h.W(i, 0) * x + h.B(i)); return s; }
        return Eps * (Math.Max(Sum(lo), Sum(hi)) + 1);
    }

    /// <summary>Sound: the exact maximum on the part plus its squared width (it converges only as parts shrink).</summary>
    private sealed class ExactPlusSquaredWidth(Network net) : IDeviationBounder
    {
        public string Name => "exact+width²";
        public DeviationBound Bound(Network n, Box box, ParameterBox delta, CancellationToken c = default)
        {
            double w = box[0].Hi - box[0].Lo;
            return new([Rounding.AddUp(ExactOn(net, box[0].Lo, box[0].Hi), Rounding.MulUp(w, w))]);
        }
    }

    private sealed class Constant(double u) : IDeviationBounder
    {
        public string Name => "constant";
        public DeviationBound Bound(Network n, Box box, ParameterBox delta, CancellationToken c = default) => new([u]);
    }

    [Test]
    public void ConvergesOnOneDimensionalNetWithSoundBounder()
    {
        var net = OneD();
        double exact = ExactOn(net, -1, 1);
        var bnb = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Gap = 1e-4, Attack = Quick, MaxSplits = 20_000 });
        var r = bnb.Search(SearchTestNets.Cube(1));
        Assert.That(r.Reason, Is.AnyOf(StopReason.Gap, StopReason.Exact));
        Assert.That(r.SupLower!.Value, Is.LessThanOrEqualTo(exact));
        Assert.That(r.SupUpper, Is.GreaterThanOrEqualTo(exact));
        Assert.That(r.SupUpper - r.SupLower.Value, Is.LessThanOrEqualTo(1e-4 * exact));
    }

    [Test]
    public void ConvergesWithTheProjectBounders([Values("ibp", "linear")] string method)
    {
        var net = OneD();
        double exact = ExactOn(net, -1, 1);
        var r = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), BoundMethods.Find(method)!.SearchLeaf(),
            new BranchAndBoundOptions { Gap = 1e-3, Attack = Quick, MaxSplits = 20_000 }).Search(SearchTestNets.Cube(1));
        Assert.That(r.Reason, Is.AnyOf(StopReason.Gap, StopReason.Exact));
        Assert.That(r.SupLower!.Value, Is.LessThanOrEqualTo(exact));
        Assert.That(r.SupUpper, Is.InRange(exact, exact * 1.001));
    }

    [Test]
    public void PartsBelowTheLowerBoundArePruned()
    {
        var net = OneD();
        double exact = ExactOn(net, -1, 1);
        var bnb = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new ExactPlusSquaredWidth(net),
            new BranchAndBoundOptions { Gap = 1e-3, Attack = Quick, Threads = 1, BatchSize = 1 });
        var r = bnb.Search(SearchTestNets.Cube(1));
        Assert.That(r.Reason, Is.EqualTo(StopReason.Gap));
        Assert.That(r.SupLower!.Value, Is.EqualTo(exact), "the attack finds the exact maximum at an end point");
        Assert.That(r.SupUpper, Is.InRange(exact, exact * 1.001));
        // Every split replaces one part by two; all but the parts at the maximiser are closed on the way.
        Assert.That(r.OpenParts + r.PrunedParts, Is.EqualTo(r.Splits + 1));
        Assert.That(r.OpenParts, Is.LessThanOrEqualTo(2));
        // Halving towards the maximiser needs about log2(2/√(1e-3·U)) ≈ 8 splits; the siblings on the way are
        // pruned once w² < (slope of the objective)·w. Without pruning every sibling would be split as well.
        Assert.That(r.Splits, Is.LessThan(30));
    }

    [Test]
    public void LeavesCoverTheBoxAndCarryTheCertifiedBound()
    {
        var net = OneD();
        var leaves = new List<(Box Box, double Upper, LeafKind Kind)>();
        var r = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new ExactPlusSquaredWidth(net),
            new BranchAndBoundOptions
            {
                Gap = 1e-3, Attack = Quick, Threads = 1, BatchSize = 1, RecordLeaf = (b, u, k) => leaves.Add((b, u[0], k)),
            }).Search(SearchTestNets.Cube(1));
        Assert.That(leaves, Has.Count.EqualTo(r.Splits + 1), "every split replaces one leaf by two");
        Assert.That(leaves.Count(l => l.Kind == LeafKind.Closed), Is.EqualTo(r.PrunedParts));
        Assert.That(leaves.Count(l => l.Kind == LeafKind.Open), Is.EqualTo(r.OpenParts));
        var sorted = leaves.OrderBy(l => l.Box[0].Lo).ToList();
        Assert.That(sorted[0].Box[0].Lo, Is.EqualTo(-1));
        Assert.That(sorted[^1].Box[0].Hi, Is.EqualTo(1));
        for (int i = 1; i < sorted.Count; i++) Assert.That(sorted[i].Box[0].Lo, Is.EqualTo(sorted[i - 1].Box[0].Hi));
        Assert.That(leaves.Max(l => l.Upper), Is.EqualTo(r.SupUpper), "one output: U is the largest bound of a leaf");
    }

    [Test]
    public void TightBounderProvesTheExactValueWithoutSplitting()
    {
        var net = OneD();
        double exact = ExactOn(net, -1, 1);
        var r = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new Constant(exact),
            new BranchAndBoundOptions { Attack = Quick }).Search(SearchTestNets.Cube(1));
        Assert.That(r.Reason, Is.EqualTo(StopReason.Exact));
        Assert.That(r.Splits, Is.EqualTo(0));
        Assert.That(r.SupUpper, Is.EqualTo(exact));
        Assert.That(r.SupLower!.Value, Is.EqualTo(exact));
    }

    [Test]
    public void UnsoundBounderIsDetected()
    {
        var net = OneD();
        var bnb = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new Constant(1e-9),
            new BranchAndBoundOptions { Attack = Quick, MaxSplits = 4 });
        Assert.Throws<InvalidOperationException>(() => bnb.Search(SearchTestNets.Cube(1)));
    }

    [Test]
    public void CancelledBeforeTheRootIsBoundedCertifiesNothing()
    {
        var net = OneD();
        var bnb = new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick });
        var r = bnb.Search(SearchTestNets.Cube(1), new CancellationToken(canceled: true));
        Assert.That(r.Reason, Is.EqualTo(StopReason.Cancelled));
        Assert.That(double.IsPositiveInfinity(r.SupUpper), Is.True);
    }

    [Test]
    public void StopsAtMaxSplitsAndTimeout()
    {
        var net = SearchTestNets.Random(41, false, 2, 8, 8, 2);
        var delta = PerturbationModel.Absolute(0.05).ToBox(net);
        var r = new BranchAndBound(net, delta, new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick, MaxSplits = 6, BatchSize = 2 }).Search(SearchTestNets.Cube(2));
        Assert.That(r.Reason, Is.EqualTo(StopReason.MaxSplits));
        Assert.That(r.Splits, Is.EqualTo(6));
        var t = new BranchAndBound(net, delta, new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick, Timeout = TimeSpan.FromMilliseconds(300) }).Search(SearchTestNets.Cube(2));
        Assert.That(t.Reason, Is.EqualTo(StopReason.Timeout));
        Assert.That(t.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(t.SupUpper, Is.GreaterThanOrEqualTo(t.SupLower!.Value));
    }

    [Test]
    public void CapOnOpenPartsFreezesTheLeastPromisingAndStaysSound()
    {
        var net = SearchTestNets.Random(42, false, 2, 8, 8, 2);
        var delta = PerturbationModel.Absolute(0.05).ToBox(net);
        var box = SearchTestNets.Cube(2);
        var free = new BranchAndBound(net, delta, new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick, MaxSplits = 40, Threads = 1, BatchSize = 2 }).Search(box);
        var capped = new BranchAndBound(net, delta, new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick, MaxSplits = 40, Threads = 1, BatchSize = 2, MaxOpenParts = 6 }).Search(box);
        Assert.That(capped.FrozenParts, Is.GreaterThan(0));
        Assert.That(capped.OpenParts, Is.LessThanOrEqualTo(6));
        // Frozen parts keep their bounds, so U can only be looser than without the cap, never below L.
        for (int j = 0; j < 2; j++)
        {
            Assert.That(capped.Upper[j], Is.GreaterThanOrEqualTo(capped.Lower[j]!.Value));
            Assert.That(capped.Upper[j], Is.GreaterThanOrEqualTo(free.Lower[j]!.Value));
        }
    }

    [Test]
    public void SupNormObjectiveClosesOutputsBelowTheBestOverall()
    {
        var net = SearchTestNets.Random(43, false, 2, 6, 3);
        var delta = PerturbationModel.Absolute(0.02).ToBox(net);
        var r = new BranchAndBound(net, delta, new SeparateIntervalsBounder(),
            new BranchAndBoundOptions { Attack = Quick, Objective = SearchObjective.SupNorm, Gap = 0.5, MaxSplits = 3000 })
            .Search(SearchTestNets.Cube(2));
        Assert.That(r.Reason, Is.AnyOf(StopReason.Gap, StopReason.Exact));
        Assert.That(r.SupUpper, Is.LessThanOrEqualTo(1.5 * r.SupLower!.Value));
    }

    [Test]
    public void TraceRecordsUpperFallingAndLowerRising()
    {
        var net = OneD();
        string path = Path.Combine(Path.GetTempPath(), $"verify-trace-{Guid.NewGuid():N}.csv");
        try
        {
            using (var trace = CsvTrace.Create(path))
                new BranchAndBound(net, SearchTestNets.LastLayer(net, Eps), new SeparateIntervalsBounder(),
                    new BranchAndBoundOptions { Gap = 1e-3, Attack = Quick, Progress = trace.Record }).Search(SearchTestNets.Cube(1));
            var lines = File.ReadAllLines(path);
            Assert.That(lines[0], Is.EqualTo("seconds,upper,lower"));
            Assert.That(lines.Length, Is.GreaterThan(2));
            var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
            for (int i = 1; i < rows.Length; i++)
            {
                Assert.That(rows[i][0], Is.GreaterThanOrEqualTo(rows[i - 1][0]));
                Assert.That(rows[i][1], Is.LessThanOrEqualTo(rows[i - 1][1]));
                Assert.That(rows[i][2], Is.GreaterThanOrEqualTo(rows[i - 1][2]));
            }
            Assert.That(rows[^1][1], Is.LessThanOrEqualTo(1.001 * rows[^1][2]));
        }
        finally { File.Delete(path); }
    }
}
