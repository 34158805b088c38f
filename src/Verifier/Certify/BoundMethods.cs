using Verify.Bounds;
using Verify.Errors;
using Verify.Search;

namespace Verify.Certify;

/// <summary>
/// The one ordered list of bound methods, cheapest first. certify runs every one-pass method up to the one asked for
/// and takes the element-wise minimum (all are sound); equiv bounds its parts with the tightest one-pass method (or
/// those named); sensitivity takes the best of every bounder. A new method is one entry here.
/// </summary>
public static class BoundMethods
{
    public static readonly BoundMethod Analytic =
        new("analytic", 0, Splits: false, Exact: false, _ => new AnalyticBounder(), () => new AnalyticBounder());

    public static readonly BoundMethod Interval =
        new("ibp", 1, Splits: false, Exact: false, _ => new IntervalDifferenceBounder(), () => new IntervalDifferenceBounder());

    /// <summary>Branch and bound's linear leaf also reports each input's influence, to choose the split.</summary>
    public static readonly BoundMethod Linear =
        new("linear", 2, Splits: false, Exact: false, s => s.Linear, () => new LinearDifferenceBounder());

    public static readonly BoundMethod Auto =
        new("auto", 3, Splits: true, Exact: false, InputSplitting, () => new LinearDifferenceBounder());

    /// <summary>Runs the attack and Z3 where an encoding applies, then input splitting on the outputs left open.</summary>
    public static readonly BoundMethod Z3 =
        new("z3", 4, Splits: true, Exact: true, null, () => new LinearDifferenceBounder());

    /// <summary>The linear pass and the mean-value form on its enclosures, element-wise minimum (docs/meanvalue.md); its
    /// branch-and-bound leaf (--gap, --trace) takes the same minimum per box. Last in the order, so that no other method's
    /// ladder runs it: auto keeps the linear leaf until the form is measured tighter there.</summary>
    public static readonly BoundMethod MeanValue =
        new("meanvalue", 5, Splits: false, Exact: false, s => new MeanValueBounder { Linear = s.Linear },
            () => new MeanValueBounder());

    public static IReadOnlyList<BoundMethod> All { get; } = new[] { Analytic, Interval, Linear, Auto, Z3, MeanValue }.OrderBy(m => m.Order).ToArray();

    /// <summary>The methods that are bounders (every one but z3).</summary>
    public static IReadOnlyList<BoundMethod> Bounders { get; } = All.Where(m => m.Create is not null).ToArray();

    /// <summary>The tightest method that bounds a box in one pass: equiv's default for its parts (a method that splits
    /// the input itself would nest a second branch and bound inside every part).</summary>
    /// <remarks>meanvalue is excluded until it is measured on equiv's parts (docs/meanvalue.md).</remarks>
    public static BoundMethod TightestOnePass { get; } = All.Last(m => m.BoundsInOnePass && m != MeanValue);

    public static BoundMethod? Find(string name) => All.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>certify's --method.</summary>
    public static BoundMethod Parse(string name) => Find(name)
        ?? throw new UsageException($"--method: '{name}' is not one of {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>The one-pass methods up to <paramref name="method"/>: asking for a method runs the cheaper ones too.</summary>
    public static IEnumerable<BoundMethod> Ladder(BoundMethod method) => All.Where(m => m.BoundsInOnePass && m.Order <= method.Order);

    /// <summary>equiv's --bounder: the bounders named (case-insensitive), or the tightest one-pass one for null.</summary>
    public static IReadOnlyList<IDeviationBounder> CreateBounders(IReadOnlyList<string>? names)
    {
        if (names is null) return [TightestOnePass.Create!(BounderSettings.Default)];
        return names.Select(n => (Bounders.FirstOrDefault(m => m.Name.Equals(n, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--bounder '{n}': available: {string.Join(", ", Bounders.Select(m => m.Name))}"))
            .Create!(BounderSettings.Default)).ToArray();
    }

    /// <summary>auto with --split phase: the linear pass refined by branching on ReLU phases with β multipliers. β is
    /// optimised with the α slopes, so the leaf optimises them (outputs only unless --optimize-slopes asked for more).</summary>
    /// <param name="giveUpAbove">return after the root unless its sup U is below this (<see cref="PhaseSplittingBounder.GiveUpAbove"/>)</param>
    public static PhaseSplittingBounder PhaseSplitting(BounderSettings s, double? giveUpAbove = null)
    {
        var l = s.Linear;
        var leaf = new LinearDifferenceBounder
        {
            PlaneSpreadWeight = l.PlaneSpreadWeight, ZPrimeRows = l.ZPrimeRows, BallNorm = l.BallNorm, OptimizeSlopes = true, SplitPerturbedPhases = true,
            SlopeIterations = l.SlopeIterations, OptimizedHiddenLayers = l.OptimizeSlopes ? l.OptimizedHiddenLayers : 0,
        };
        return s.Splitting is { } limits
            ? new PhaseSplittingBounder
            {
                Leaf = leaf, Timeout = limits.Timeout, MaxSplits = limits.MaxSplits, StopAtSupUpper = limits.StopAtSupUpper, Progress = limits.Progress,
                Promising = limits.Promising, GiveUpAbove = giveUpAbove,
            }
            : new PhaseSplittingBounder { Leaf = leaf, GiveUpAbove = giveUpAbove };
    }

    /// <summary>auto with --split hybrid: boxes bisected with the linear pass, a stalled box's phases branched on with
    /// the phase leaf of <see cref="PhaseSplitting"/>.</summary>
    public static HybridSplittingBounder HybridSplitting(BounderSettings s)
    {
        var phases = PhaseSplitting(s with { Splitting = null }).Leaf;
        return s.Splitting is { } l
            ? new HybridSplittingBounder
            {
                BoxLeaf = s.Linear, PhaseLeaf = phases, Timeout = l.Timeout, MaxSplits = l.MaxSplits, StopAtSupUpper = l.StopAtSupUpper,
                Progress = l.Progress, Promising = l.Promising,
            }
            : new HybridSplittingBounder { BoxLeaf = s.Linear, PhaseLeaf = phases };
    }

    /// <summary>Whether a one-layer norm ball at a point box reduces to an ℓ2 ball of pre-activations (docs/normballs.md).</summary>
    public static bool BallApplies(Model.Network network, Intervals.Box box, Specs.ParameterBox delta) =>
        BallSplittingBounder.Applies(network, box, delta);

    /// <summary>The reduced ball's root bound (linear and every method above it add it when it applies).</summary>
    public static double[] BallRoot(Model.Network network, Intervals.Box box, Specs.ParameterBox delta) =>
        BallSplittingBounder.Root(network, box, delta)!.Upper;

    /// <summary>auto on a reduced ball: its bound refined by branching on the tail's phases.</summary>
    public static BallSplittingBounder BallSplitting(SplitLimits l) => new()
    {
        Timeout = l.Timeout, MaxSplits = l.MaxSplits, StopAtSupUpper = l.StopAtSupUpper, Progress = l.Progress,
    };

    /// <summary>auto: the linear pass refined by input splitting.</summary>
    public static InputSplittingBounder InputSplitting(BounderSettings s) => s.Splitting is { } l
        ? new InputSplittingBounder
        {
            Leaf = s.Linear, Timeout = l.Timeout, MaxSplits = l.MaxSplits, StopAtSupUpper = l.StopAtSupUpper, Progress = l.Progress,
            RecordLeaf = l.RecordLeaf is { } record ? (box, _) => record(box) : null,
            RecordSplit = l.RecordSplit,
            Promising = l.Promising,
        }
        : new InputSplittingBounder { Leaf = s.Linear };
}
