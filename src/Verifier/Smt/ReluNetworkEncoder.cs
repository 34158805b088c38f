using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Smt;

public enum ReluEncoding
{
    /// <summary>
    /// Stable neurons become linear equations; only unstable ones are case splits, each with its known
    /// bounds and the triangle (chord) relaxation as redundant linear facts. The default.
    /// </summary>
    BoundedSplit,

    /// <summary>h = ite(z > 0, z, a·z) for every neuron, no bounds: the textbook encoding, kept for comparison.</summary>
    PlainIte,
}

/// <summary>
/// One neuron encoded as a case split: h = z for z ≥ 0, h = a·z for z ≤ 0, asserted as <see cref="Disjunction"/>.
/// Fixing the phases of all of them leaves a linear program (see <see cref="ReluNetworkEncoder.LinearRegion"/>).
/// </summary>
public sealed record CaseSplit(ArithExpr Z, ArithExpr H, Rational Slope, BoolExpr Disjunction);

/// <summary>The encoding of a network over an input box: the input and output terms and the facts to assert.</summary>
public sealed class EncodedNetwork
{
    public required IReadOnlyList<ArithExpr> Inputs { get; init; }
    public required IReadOnlyList<ArithExpr> Outputs { get; init; }
    public required IReadOnlyList<BoolExpr> Facts { get; init; }
    /// <summary>Pre-activation terms of the neurons encoded as case splits (their signs fix a linear region).</summary>
    public required IReadOnlyList<ArithExpr> SplitPreActivations { get; init; }
    /// <summary>The bounded encoding's case splits (empty for plain ite).</summary>
    public IReadOnlyList<CaseSplit> CaseSplits { get; init; } = [];
    public int StableNeurons { get; init; }
    public int UnstableNeurons { get; init; }
}

/// <summary>
/// Encodes f(x) for x in a box as linear real arithmetic with case splits, exactly: every weight, bias,
/// slope and bound enters Z3 as the rational its double denotes. The encoding is exact (its models are
/// exactly the network's input/output pairs) provided the neuron bounds are sound enclosures.
/// </summary>
public static class ReluNetworkEncoder
{
    public static EncodedNetwork Encode(Context ctx, Network net, Box box, NeuronBounds? bounds, ReluEncoding encoding)
    {
        if (box.Dimension != net.InputSize)
            throw new ArgumentException($"box has {box.Dimension} dimensions, network expects {net.InputSize} inputs");
        if (encoding == ReluEncoding.BoundedSplit)
        {
            if (bounds is null) throw new ArgumentException("the bounded encoding needs neuron bounds");
            if (bounds.LayerCount != net.Depth) throw new ArgumentException($"bounds cover {bounds.LayerCount} layers, network has {net.Depth}");
        }

        var facts = new List<BoolExpr>();
        var inputs = new ArithExpr[net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ctx.MkRealConst($"x{i}");
            facts.Add(ctx.MkLe(ExactTerms.Real(ctx, box[i].Lo), inputs[i]));
            facts.Add(ctx.MkLe(inputs[i], ExactTerms.Real(ctx, box[i].Hi)));
        }

        int stable = 0, unstable = 0;
        var splits = new List<ArithExpr>();
        var caseSplits = new List<CaseSplit>();
        IReadOnlyList<ArithExpr> h = inputs;
        for (int l = 0; l < net.Depth; l++)
        {
            var layer = net.Layers[l];
            var next = new ArithExpr[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var z = ctx.MkRealConst($"z{l}_{i}");
                facts.Add(ctx.MkEq(z, PreActivation(ctx, layer, i, h)));
                if (encoding == ReluEncoding.PlainIte)
                {
                    next[i] = PlainActivation(ctx, layer.Activation, z, $"h{l}_{i}", facts);
                    if (layer.Activation.IsPiecewiseLinearWithKink) splits.Add(z);
                    continue;
                }
                var zb = bounds![l, i];
                AddRange(ctx, z, zb, facts);
                next[i] = Activate(ctx, layer.Activation, z, zb, $"h{l}_{i}", facts, out var split);
                if (layer.Activation.Operator.IsIdentity) continue;
                if (split is not null) { unstable++; splits.Add(z); caseSplits.Add(split); }
                else stable++;
            }
            h = next;
        }
        return new EncodedNetwork { Inputs = inputs, Outputs = h.ToArray(), Facts = facts, SplitPreActivations = splits, CaseSplits = caseSplits, StableNeurons = stable, UnstableNeurons = unstable };
    }

    /// <summary>
    /// σ(z) for a pre-activation z known to lie in <paramref name="zb"/>: a linear term when the bounds fix the
    /// neuron's phase, otherwise a case split (<paramref name="split"/>) with the redundant facts of SplitNeuron.
    /// </summary>
    internal static ArithExpr Activate(Context ctx, Activation a, ArithExpr z, Interval zb, string name, List<BoolExpr> facts, out CaseSplit? split)
    {
        split = null;
        if (a.Operator.IsIdentity) return z;
        double slope = a.Operator.Kink.N;
        if (zb.CertainlyGreaterOrEqual(Interval.Zero)) return z;
        if (zb.CertainlyLessOrEqual(Interval.Zero)) return slope == 0 ? ExactTerms.Real(ctx, Rational.Zero) : Scale(ctx, slope, z);
        var h = SplitNeuron(ctx, slope, z, zb, name, facts, out var disjunction);
        split = new CaseSplit(z, h, Rational.FromDouble(slope), disjunction);
        return h;
    }

    /// <summary>
    /// The linear program of a model's region: <paramref name="facts"/> without the case splits' disjunctions, and each
    /// split's phase at the model fixed by linear equations. Z3 4.8.12's Optimize returned non-optimal points when the
    /// disjunctions stayed in (see docs/smt.md); the pure LP it solves exactly.
    /// </summary>
    public static IEnumerable<BoolExpr> LinearRegion(Context ctx, Microsoft.Z3.Model model, IReadOnlyList<BoolExpr> facts, IReadOnlyList<CaseSplit> splits)
    {
        var disjunctions = new HashSet<BoolExpr>(splits.Select(s => s.Disjunction), ReferenceEqualityComparer.Instance);
        foreach (var f in facts) if (!disjunctions.Contains(f)) yield return f;
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        foreach (var s in splits)
        {
            bool positive = ExactTerms.Evaluate(model, s.Z) is not { IsExact: true } v || v.Value.Sign >= 0;
            ArithExpr az = s.Slope.IsZero ? zero : ExactTerms.Affine(ctx, [s.Slope], [s.Z], Rational.Zero);
            yield return positive ? ctx.MkGe(s.Z, zero) : ctx.MkLe(s.Z, zero);
            yield return ctx.MkEq(s.H, positive ? s.Z : az);
        }
    }

    private static ArithExpr PreActivation(Context ctx, DenseLayer layer, int row, IReadOnlyList<ArithExpr> h)
    {
        var w = layer.Row(row);
        var coefficients = new Rational[w.Length];
        for (int j = 0; j < w.Length; j++) coefficients[j] = Rational.FromDouble(w[j]);
        return ExactTerms.Affine(ctx, coefficients, h, Rational.FromDouble(layer.B(row)));
    }

    private static ArithExpr Scale(Context ctx, double slope, ArithExpr z) =>
        slope == 1.0 ? z : ctx.MkMul(ExactTerms.Real(ctx, slope), z);

    internal static ArithExpr PlainActivation(Context ctx, Activation a, ArithExpr z, string name, List<BoolExpr> facts)
    {
        if (a.Operator.IsIdentity) return z;
        double slope = a.Operator.Kink.N;
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        var negative = slope == 0 ? (ArithExpr)zero : Scale(ctx, slope, z);
        var hv = ctx.MkRealConst(name);
        facts.Add(ctx.MkEq(hv, (ArithExpr)ctx.MkITE(ctx.MkGt(z, zero), z, negative)));
        return hv;
    }

    internal static void AddRange(Context ctx, ArithExpr v, Interval range, List<BoolExpr> facts)
    {
        if (double.IsFinite(range.Lo)) facts.Add(ctx.MkLe(ExactTerms.Real(ctx, range.Lo), v));
        if (double.IsFinite(range.Hi)) facts.Add(ctx.MkLe(v, ExactTerms.Real(ctx, range.Hi)));
    }

    /// <summary>
    /// f(z) = z for z ≥ 0 and a·z for z ≤ 0 (both agree at 0), with lo &lt; 0 &lt; hi: the exact disjunction
    /// plus the redundant facts that let Z3 prune without splitting — the image range [a·lo, hi], the two
    /// lines and the chord through (lo, a·lo) and (hi, hi). For a ≤ 1 f is convex (f ≥ lines, f ≤ chord),
    /// for a > 1 concave (reversed).
    /// </summary>
    private static ArithExpr SplitNeuron(Context ctx, double slope, ArithExpr z, Interval zb, string name, List<BoolExpr> facts, out BoolExpr disjunction)
    {
        var hv = ctx.MkRealConst(name);
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        var a = Rational.FromDouble(slope);
        ArithExpr az = slope == 0 ? zero : Scale(ctx, slope, z);
        disjunction = ctx.MkOr(
            ctx.MkAnd(ctx.MkLe(z, zero), ctx.MkEq(hv, az)),
            ctx.MkAnd(ctx.MkGe(z, zero), ctx.MkEq(hv, z)));
        facts.Add(disjunction);

        bool convex = slope <= 1.0;
        facts.Add(convex ? ctx.MkGe(hv, z) : ctx.MkLe(hv, z));
        facts.Add(convex ? ctx.MkGe(hv, az) : ctx.MkLe(hv, az));
        if (!zb.IsBounded) return hv;

        Rational lo = Rational.FromDouble(zb.Lo), hi = Rational.FromDouble(zb.Hi);
        facts.Add(ctx.MkLe(ExactTerms.Real(ctx, a * lo), hv));
        facts.Add(ctx.MkLe(hv, ExactTerms.Real(ctx, hi)));
        // chord(z) = a·lo + (hi − a·lo)/(hi − lo)·(z − lo) = k·z + c
        var k = (hi - a * lo) / (hi - lo);
        var c = a * lo - k * lo;
        var chord = ExactTerms.Affine(ctx, [k], [z], c);
        facts.Add(convex ? ctx.MkLe(hv, chord) : ctx.MkGe(hv, chord));
        return hv;
    }
}
