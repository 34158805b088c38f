using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Equivalence;

/// <summary>Certified facts about f2 − f1 on one part of the input box.</summary>
/// <param name="Difference">per output j an interval enclosing f2_j(x) − f1_j(x) for every x in the part.</param>
/// <param name="TopClass">a class c that is a top class of both networks everywhere on the part, if one was proven.</param>
/// <param name="TopSlack">the smallest certified lower bound of a margin f_c − f_k (≥ 0 exactly when TopClass is proven).</param>
/// <param name="Influence">where a linear bounder ran: per input dimension, how much its width contributes to the bounds.</param>
public sealed record PartBound(Interval[] Difference, int? TopClass, double TopSlack, double[]? Influence = null)
{
    /// <summary>Certified upper bound of |f2_j − f1_j| on the part, per output.</summary>
    public double[] Upper => Difference.Select(d => d.Magnitude).ToArray();
    public double MaxUpper => Difference.Max(d => d.Magnitude);

    /// <summary>The linear bounder's per-layer enclosures on this part: they hold on every sub-part, so the children
    /// start from them (tighter intermediate bounds, fewer unstable neurons). Null when not kept (memory cap).</summary>
    internal LayerBounds[]? Enclosures { get; init; }
}

/// <summary>
/// Bounds f2 − f1 on a part of the input box, soundly. Always: interval bounds of each network, subtracted.
/// Same architecture: also every certified deviation bounder applied to f1 with the parameter box δ = θ2 − θ1, and
/// the results intersected (each is an enclosure, so the intersection is one too). Different architectures: the same
/// bounders on the <see cref="MergedPair"/>, whose two networks share every hidden layer and differ only in the
/// output layer, so the linear bounds of f2 − f1 are taken over the shared input and the dependence on x cancels.
/// </summary>
public sealed class PartBounder
{
    private readonly Network _first, _second;
    private readonly Network? _base;
    private readonly ParameterBox? _delta;
    private readonly IReadOnlyList<IDeviationBounder> _bounders;
    private readonly bool _merged;
    private readonly ParameterBox? _zero;
    private readonly LinearDifferenceBounder _margins = new();

    /// <summary>Run on a part the bounders leave open (ε queries) when asked to refine: the linear pass with
    /// α-optimised slopes, started from the plain pass's enclosures; its bound is intersected in, and its enclosures and
    /// influence replace the plain ones (tighter enclosures for the children).</summary>
    public LinearDifferenceBounder? Refiner { get; init; }

    public PartBounder(Network first, Network second, IReadOnlyList<IDeviationBounder> bounders)
    {
        _first = first; _second = second;
        if (ExactAligner.SameArchitecture(first, second))
        {
            _base = first; _delta = ParameterDifference.Of(first, second); _bounders = bounders;
            _zero = ParameterBox.Zero(first);
        }
        else if (MergedPair.TryBuild(first, second) is { } pair)
        {
            _base = pair.First; _delta = ParameterDifference.Of(pair.First, pair.Second); _bounders = bounders; _merged = true;
        }
        else _bounders = [];
    }

    public IReadOnlyList<string> Methods => _bounders.Count == 0
        ? ["separate-intervals"]
        : ["separate-intervals", .. _bounders.Select(b => _merged ? "merged-" + b.Name : b.Name)];

    /// <param name="parent">the bound of a part containing this box, whose enclosures also hold here.</param>
    /// <param name="closeAt">an ε query's ε: when the deviation bounders (and the parent) already bound every
    /// |f2_j − f1_j| by it, the separate interval bounds, which could only narrow a part that is closed anyway, are
    /// skipped (each is a full interval pass of both networks).</param>
    /// <param name="refineAbove">run <see cref="Refiner"/> on an open ε part whose bound after the bounders is at least
    /// this share of the parent's (the plain pass stalled); null: never.</param>
    public PartBound Bound(Box box, bool topOne, CancellationToken cancellation, PartBound? parent = null, double? closeAt = null,
                           double? refineAbove = null)
    {
        var diff = new Interval[_first.OutputSize];
        for (int j = 0; j < diff.Length; j++) diff[j] = parent?.Difference[j] ?? Interval.Entire;
        var (influence, enclosures) = ApplyBounders(box, diff, parent, cancellation);
        bool closed = !topOne && _bounders.Count > 0 && closeAt is { } eps && diff.All(d => d.Magnitude <= eps);
        if (!closed && !topOne && closeAt is not null && refineAbove is { } share && Refiner is { } refiner && _base is not null
            && (parent is null || diff.Max(x => x.Magnitude) >= share * parent.MaxUpper))
        {
            cancellation.ThrowIfCancellationRequested();
            var (d, inf, enc) = refiner.BoundWithEnclosures(_base, box, _delta!, enclosures ?? parent?.Enclosures, cancellation);
            Intersect(diff, d, "the refined linear pass");
            influence = inf; enclosures = enc;
            closed = diff.All(x => x.Magnitude <= closeAt.Value);
        }
        if (closed) return new PartBound(diff, null, double.NegativeInfinity, influence) { Enclosures = enclosures };
        var h1 = NetworkIntervalBounds.LastHidden(_first, box);
        var h2 = NetworkIntervalBounds.LastHidden(_second, box);
        var o1 = NetworkIntervalBounds.Outputs(_first, h1);
        var o2 = NetworkIntervalBounds.Outputs(_second, h2);
        for (int j = 0; j < diff.Length; j++) diff[j] = Narrow(o2[j] - o1[j], diff[j], "separate intervals against the bounders and the parent part");
        if (!topOne) return new PartBound(diff, null, double.NegativeInfinity, influence) { Enclosures = enclosures };
        return TopOneBound(box, h1, h2, diff, influence, enclosures, cancellation);
    }

    /// <summary>Every deviation bounder's enclosure of f2 − f1 intersected into <paramref name="diff"/> (each is an
    /// enclosure, so the intersection is one too); the linear bounder's influence and enclosures.</summary>
    private (double[]? Influence, LayerBounds[]? Enclosures) ApplyBounders(Box box, Interval[] diff, PartBound? parent,
        CancellationToken cancellation)
    {
        double[]? influence = null;
        LayerBounds[]? enclosures = null;
        foreach (var bounder in _bounders)
        {
            cancellation.ThrowIfCancellationRequested();
            DeviationBound d;
            if (bounder is LinearDifferenceBounder linear && influence is null)
                (d, influence, enclosures) = linear.BoundWithEnclosures(_base!, box, _delta!, parent?.Enclosures, cancellation);
            else
                d = bounder.Bound(_base!, box, _delta!, cancellation);
            Intersect(diff, d, $"bounder '{bounder.Name}'");
        }
        return (influence, enclosures);
    }

    private static void Intersect(Interval[] diff, DeviationBound d, string source)
    {
        for (int j = 0; j < diff.Length; j++)
        {
            diff[j] = Narrow(diff[j], Interval.Symmetric(d.Upper[j]), source);
            if (d.DeltaLower is not null && d.DeltaUpper is not null)
                diff[j] = Narrow(diff[j], new Interval(d.DeltaLower[j], d.DeltaUpper[j]), source);
        }
    }

    /// <summary>A top-1 part: the class both networks are proven to pick, from the interval margins and, where they
    /// fall short, the joint linear pass's.</summary>
    private PartBound TopOneBound(Box box, Interval[] h1, Interval[] h2, Interval[] diff, double[]? influence, LayerBounds[]? enclosures,
        CancellationToken cancellation)
    {
        var (c, m1, m2) = TopClass(box, h1, h2, diff);
        if (Slack(c, m1, m2) < 0 && _delta is not null && !_merged)
        {
            // The interval margins lose every correlation through the layers; the joint linear pass bounds each margin
            // as one objective (as certify --top1 does): the second network's with δ = θ2 − θ1, the first's with δ = 0.
            cancellation.ThrowIfCancellationRequested();
            var second = _margins.Margins(_base!, box, _delta, c, cancellation).Lower;
            var first = _margins.Margins(_base!, box, _zero!, c, cancellation).Lower;
            for (int k = 0; k < m1.Length; k++)
                if (k != c) { m1[k] = Math.Max(m1[k], first[k]); m2[k] = Math.Max(m2[k], second[k]); }
        }
        double slack = Slack(c, m1, m2);
        return new PartBound(diff, slack >= 0 ? c : null, slack, influence) { Enclosures = enclosures };
    }

    private static double Slack(int c, double[] m1, double[] m2)
    {
        double slack = double.PositiveInfinity;
        for (int k = 0; k < m1.Length; k++) if (k != c) slack = Math.Min(slack, Math.Min(m1[k], m2[k]));
        return slack;
    }

    private static Interval Narrow(Interval a, Interval b, string source) =>
        Interval.Intersect(a, b) ?? throw new InvalidOperationException(
            $"{source}: enclosures {a} and {b} of f2 − f1 are disjoint, so one of them is unsound");

    /// <summary>
    /// The candidate c = argmax f1 at the part's centre and per rival k the certified interval margins f1_c − f1_k and
    /// f2_c − f2_k; f2's is the better of its own interval margin and f1's margin plus the difference bounds.
    /// </summary>
    private (int Class, double[] First, double[] Second) TopClass(Box box, Interval[] h1, Interval[] h2, Interval[] diff)
    {
        int c = TopOne.Argmax(_first.Evaluate(box.Center));
        var first = new double[diff.Length];
        var second = new double[diff.Length];
        for (int k = 0; k < diff.Length; k++)
        {
            if (k == c) continue;
            var m1 = NetworkIntervalBounds.Margin(_first, h1, c, k);
            var m2 = NetworkIntervalBounds.Margin(_second, h2, c, k);
            first[k] = m1.Lo;
            second[k] = Math.Max(m2.Lo, (m1 + diff[c] - diff[k]).Lo);
        }
        return (c, first, second);
    }
}
