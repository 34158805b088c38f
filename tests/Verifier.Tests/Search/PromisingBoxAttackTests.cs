using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Tests.Search;

public class PromisingBoxAttackTests
{
    /// <summary>A budget too small to find anything off the centre by itself: one run, no local search.</summary>
    private static readonly AttackOptions Tiny = new() { Restarts = 1, Steps = 20, LocalSearchRounds = 0, Seed = 3 };

    /// <summary>The tiny budget without the screened starts (<see cref="AlignedScreen"/>), which find a hat of this
    /// width by themselves (AlignedScreenTests): the feedback path is what is tested here.</summary>
    private static readonly AttackOptions TinyUnscreened = Tiny with { ScreenSamples = 0 };

    /// <summary>
    /// f(x) = relu(1 − relu(100x − 37) − relu(37 − 100x)) on X = [0,1]: a hat of width 0.02 around x = 0.37, and 0
    /// (with the hidden unit far inactive) everywhere else, where |Δf| is only the output bias's ε. Only inside the
    /// hat does |Δf| reach several ε.
    /// </summary>
    private static Network Hat() => new([
        new DenseLayer(2, 1, [100, -100], [-37, 37], Activation.Relu),
        new DenseLayer(1, 2, [-1, -1], [1], Activation.Relu),
        new DenseLayer(1, 1, [1], [0], Activation.Identity),
    ]);

    /// <summary>
    /// The feedback path: input splitting offers the boxes it is about to split; attacked inside them, the tiny
    /// budget finds the hat that the same budget on the whole box misses.
    /// </summary>
    [Test]
    public void BoxesOfferedBySplittingLeadTheAttackIntoANarrowMaximum()
    {
        var net = Hat();
        var box = Box.FromBounds([0], [1]);
        double eps = 1.0 / 1024;
        var delta = PerturbationModel.Absolute(eps).ToBox(net);

        var alone = new DeviationAttack(net, delta, TinyUnscreened).Run(box).Lower[0]!;
        Assert.That(alone.Value, Is.LessThan(1.5 * eps), "the whole-box attack alone stays outside the hat");

        var offered = new List<(Box, double[])>();
        var splitter = new InputSplittingBounder
        {
            MaxSplits = 12, Parallelism = 1, Timeout = TimeSpan.FromMinutes(10),
            Promising = (b, u) => offered.Add((b, u)),
        };
        var upper = splitter.Run(net, box, delta).Bound.Upper[0];
        Assert.That(offered, Is.Not.Empty);
        Assert.That(offered.TrueForAll(o => o.Item1.Dimension == 1 && box.Contains([o.Item1[0].Lo]) && box.Contains([o.Item1[0].Hi])), Is.True);

        using var feed = new PromisingBoxAttack(net, delta, box, TinyUnscreened, [alone]);
        var fed = feed.AttackAll(Enumerable.Reverse(offered))[0]!;
        Assert.That(fed.Value, Is.GreaterThan(2.5 * eps), "inside the offered boxes the attack climbs the hat");
        Assert.That(fed.Value, Is.LessThanOrEqualTo(upper));
        Assert.That(fed.Witness.X[0], Is.InRange(0.36, 0.38));
        Assert.That(fed.Witness.Replay(net, box, delta), Is.EqualTo(fed.Exact));
        Assert.That(feed.Attacked, Is.GreaterThan(0));
    }

    /// <summary>Witnesses found in sub-boxes are replayed against the whole box and admissible exactly, under relative
    /// and masked perturbations too; a witness never falls below the one the attack started from.</summary>
    [Test]
    public void WitnessesFromSubBoxesAreAdmissibleUnderRelativeAndMaskedModels()
    {
        var net = SearchTestNets.Random(5, false, 3, 6, 5, 2);
        var box = Box.FromBounds([-1, -1, 0], [1, 0.5, 2]);
        var parts = new[]
        {
            Box.FromBounds([-1, -1, 0], [0, 0.5, 1]),
            Box.FromBounds([0.5, -0.25, 1.5], [1, 0.5, 2]),
            Box.FromBounds([-0.125, 0, 0.25], [0, 0.125, 0.5]),
        };
        var models = new[]
        {
            PerturbationModel.Relative(0.05),
            new PerturbationModel { Eps = [0.0, 0.02, 0.01], WeightsOnly = true },
            new PerturbationModel { Kind = PerturbationKind.Relative, Eps = [0.1], LayerMask = new HashSet<int> { 2 }, BiasesOnly = true },
        };
        foreach (var model in models)
        {
            var delta = model.ToBox(net);
            var start = new DeviationAttack(net, delta, Tiny).Run(box).Lower;
            using var feed = new PromisingBoxAttack(net, delta, box, Tiny, start);
            var lower = feed.AttackAll(parts.Select(p => (p, new[] { double.PositiveInfinity, double.PositiveInfinity })));
            for (int j = 0; j < net.OutputSize; j++)
            {
                var lb = lower[j]!;
                Assert.That(delta.Admits(net, lb.Witness.Perturbed), Is.True, $"{model.Kind} output {j}");
                Assert.That(box.Contains(lb.Witness.X), Is.True);
                Assert.That(lb.Witness.Replay(net, box, delta), Is.EqualTo(lb.Exact));
                Assert.That(lb.Exact >= start[j]!.Exact, Is.True);
            }
        }
    }

    /// <summary>A box whose bound for an output is already below the best witness is not attacked for it.</summary>
    [Test]
    public void OutputsWhoseBoundCannotBeatTheWitnessAreSkipped()
    {
        var net = Hat();
        var box = Box.FromBounds([0], [1]);
        var delta = PerturbationModel.Absolute(1.0 / 1024).ToBox(net);
        var start = new DeviationAttack(net, delta, Tiny).Run(box).Lower;
        using var feed = new PromisingBoxAttack(net, delta, box, Tiny, start);
        var lower = feed.AttackAll([(Box.FromBounds([0.36], [0.38]), new[] { start[0]!.Value / 2 })]);
        Assert.That(feed.Attacked, Is.EqualTo(0));
        Assert.That(lower[0]!.Exact, Is.EqualTo(start[0]!.Exact));
    }

    /// <summary>The boxes input splitting offers on the hat, newest first (as the feed's queue takes them).</summary>
    private static List<(Box, double[])> OfferedOnHat(Network net, Box box, ParameterBox delta)
    {
        var offered = new List<(Box, double[])>();
        new InputSplittingBounder
        {
            MaxSplits = 12, Parallelism = 1, Timeout = TimeSpan.FromMinutes(10),
            Promising = (b, u) => offered.Add((b, u)),
        }.Run(net, box, delta);
        offered.Reverse();
        return offered;
    }

    /// <summary>
    /// Past its limit the feed replays nothing more, so the hat it climbs stays unreported (an unreplayed estimate is
    /// never a lower bound) and the start's witness is the answer; it tells the splitter to stop at once. With a
    /// generous limit it reports the hat as without one, and the splitter may go on.
    /// </summary>
    [Test]
    public void PastItsLimitTheFeedReportsOnlyReplayedWitnessesAndStopsTheSplitter()
    {
        var net = Hat();
        var box = Box.FromBounds([0], [1]);
        double eps = 1.0 / 1024;
        var delta = PerturbationModel.Absolute(eps).ToBox(net);
        var alone = new DeviationAttack(net, delta, Tiny).Run(box).Lower[0]!;
        var offered = OfferedOnHat(net, box, delta);

        using (var late = new PromisingBoxAttack(net, delta, box, Tiny, [alone]) { Limit = TimeSpan.Zero, ReplayCost = TimeSpan.FromMilliseconds(1) })
        {
            var fed = late.AttackAll(offered)[0]!;
            Assert.That(late.Attacked, Is.GreaterThan(0));
            Assert.That(fed.Exact, Is.EqualTo(alone.Exact), "the hat found past the limit is not replayed, so not reported");
            late.Start();
            Assert.That(late.Closing.IsCancellationRequested, Is.True);
            Assert.That(late.Stop()[0]!.Exact, Is.EqualTo(alone.Exact));
        }

        using var early = new PromisingBoxAttack(net, delta, box, Tiny, [alone]) { Limit = TimeSpan.FromHours(1), ReplayCost = TimeSpan.FromMilliseconds(1) };
        var climbed = early.AttackAll(offered)[0]!;
        Assert.That(climbed.Value, Is.GreaterThan(2.5 * eps));
        Assert.That(climbed.Witness.Replay(net, box, delta), Is.EqualTo(climbed.Exact));
        Assert.That(early.Closing.IsCancellationRequested, Is.False);
    }
}
