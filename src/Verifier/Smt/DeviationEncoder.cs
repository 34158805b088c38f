using Microsoft.Z3;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Smt;

/// <summary>A value of the encoding: an exact constant (folded, never sent to Z3 as a variable) or a Z3 term.</summary>
internal readonly record struct Term(Rational Constant, ArithExpr? Expr)
{
    public static Term Of(Rational c) => new(c, null);
    public static Term Of(ArithExpr e) => new(Rational.Zero, e);
    public bool IsConstant => Expr is null;
    public ArithExpr ToExpr(Context ctx) => Expr ?? ExactTerms.Real(ctx, Constant);
}

/// <summary>One perturbed parameter that is a Z3 variable: layer (0-based), weight or bias, index (row-major for W).</summary>
internal sealed record ParameterVariable(int Layer, bool IsWeight, int Index, ArithExpr Variable);

/// <summary>The joint encoding of f(x; θ) and f(x; θ + δ) over a shared x.</summary>
internal sealed class EncodedDeviation
{
    public required IReadOnlyList<Term> Inputs { get; init; }
    public required IReadOnlyList<ParameterVariable> Parameters { get; init; }
    /// <summary>Δf_j = f_j(x; θ+δ) − f_j(x; θ) per output.</summary>
    public required IReadOnlyList<Term> Deviations { get; init; }
    public required IReadOnlyList<BoolExpr> Facts { get; init; }
    public required IReadOnlyList<ArithExpr> SplitPreActivations { get; init; }
    /// <summary>The bounded case splits of both copies (empty for plain ite).</summary>
    public required IReadOnlyList<CaseSplit> CaseSplits { get; init; }
    /// <summary>Products of two variables (δW·h' with h' depending on x or on δ upstream): 0 means linear arithmetic.</summary>
    public int NonlinearProducts { get; init; }
    public int StableNeurons { get; init; }
    public int UnstableNeurons { get; init; }
}

/// <summary>
/// Encodes the nominal and the perturbed network over one shared input x, with every perturbed parameter a Z3 real
/// bounded by the exact rationals of the <see cref="ParameterBox"/> (the same closed set <see cref="ParameterBox.Admits"/>
/// tests). Known values are folded exactly: a point input, unperturbed parameters and everything computed only from
/// them stay constants, so a fixed x with one perturbed layer yields linear arithmetic in δ. Neurons whose
/// pre-activation bounds (the outward-rounded joint linear pass of LinearDifferenceBounder, z and z' rows) fix their phase are linear equations;
/// only the others are case splits, and the bounds of z, z' and z' − z enter as redundant linear facts.
/// The norm-ball part of a parameter set is not encoded: callers must not pass one.
/// </summary>
internal static class DeviationEncoder
{
    public static EncodedDeviation Encode(Context ctx, Network net, Box box, ParameterBox delta, CancellationToken cancel = default,
                                         ReluEncoding encoding = ReluEncoding.BoundedSplit)
    {
        if (box.Dimension != net.InputSize)
            throw new ArgumentException($"box has {box.Dimension} dimensions, network expects {net.InputSize} inputs");
        if (delta.Layers.Count != net.Depth)
            throw new ArgumentException($"the parameter box has {delta.Layers.Count} layers, the network {net.Depth}");
        if (delta.Ball is not null) throw new ArgumentException("the deviation encoder encodes parameter boxes, not norm balls");
        // Index 0 = input. The joint linear pass (CROWN-style, with z' rows) fixes more neurons than intervals.
        var bounds = new LinearDifferenceBounder().LayerEnclosures(net, box, delta, cancel);
        var facts = new List<BoolExpr>();
        var parameters = new List<ParameterVariable>();
        var splits = new List<ArithExpr>();
        var caseSplits = new List<CaseSplit>();
        int stable = 0, unstable = 0, products = 0;

        var inputs = new Term[net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (box[i].IsPoint) { inputs[i] = Term.Of(Rational.FromDouble(box[i].Lo)); continue; }
            var x = ctx.MkRealConst($"x{i}");
            ReluNetworkEncoder.AddRange(ctx, x, box[i], facts);
            inputs[i] = Term.Of(x);
        }

        IReadOnlyList<Term> h = inputs, hp = inputs;
        for (int l = 0; l < net.Depth; l++)
        {
            var layer = net.Layers[l];
            var lb = bounds[l + 1];
            var pbox = delta.Layers[l];
            var next = new Term[layer.Outputs];
            var nextP = new Term[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                // Nominal: z = W h + b.
                var zLin = new LinearSum(ctx);
                zLin.AddConstant(Rational.FromDouble(layer.B(i)));
                // Perturbed: z' = (W + δW) h' + b + δb.
                var zpLin = new LinearSum(ctx);
                zpLin.AddConstant(Rational.FromDouble(layer.B(i)));
                zpLin.Add(Parameter(ctx, pbox.BiasLo[i], pbox.BiasHi[i], $"db{l}_{i}", l, false, i, parameters, facts), Term.Of(Rational.One), ref products);
                for (int j = 0; j < layer.Inputs; j++)
                {
                    var w = Term.Of(Rational.FromDouble(layer.W(i, j)));
                    zLin.Add(w, h[j], ref products);
                    zpLin.Add(w, hp[j], ref products);
                    int k = i * layer.Inputs + j;
                    zpLin.Add(Parameter(ctx, pbox.WeightLo[k], pbox.WeightHi[k], $"dw{l}_{i}_{j}", l, true, k, parameters, facts), hp[j], ref products);
                }
                var zb = new Interval(lb.ZLo[i], lb.ZHi[i]);
                var zpb = new Interval(lb.PLo[i], lb.PHi[i]);
                var z = Neuron(ctx, layer.Activation, zLin, zb, $"z{l}_{i}", $"h{l}_{i}", encoding, facts, splits, caseSplits, ref stable, ref unstable, out var zTerm);
                var zp = Neuron(ctx, layer.Activation, zpLin, zpb, $"zp{l}_{i}", $"hp{l}_{i}", encoding, facts, splits, caseSplits, ref stable, ref unstable, out var zpTerm);
                if (encoding == ReluEncoding.BoundedSplit && !zTerm.IsConstant && !zpTerm.IsConstant)
                    ReluNetworkEncoder.AddRange(ctx, ctx.MkSub(zpTerm.Expr!, zTerm.Expr!), new Interval(lb.DLo[i], lb.DHi[i]), facts);
                next[i] = z;
                nextP[i] = zp;
            }
            h = next;
            hp = nextP;
        }

        var deviations = new Term[net.OutputSize];
        for (int j = 0; j < deviations.Length; j++)
            deviations[j] = h[j].IsConstant && hp[j].IsConstant ? Term.Of(hp[j].Constant - h[j].Constant)
                : Term.Of(ctx.MkSub(hp[j].ToExpr(ctx), h[j].ToExpr(ctx)));
        return new EncodedDeviation
        {
            Inputs = inputs, Parameters = parameters, Deviations = deviations, Facts = facts, SplitPreActivations = splits, CaseSplits = caseSplits,
            NonlinearProducts = products, StableNeurons = stable, UnstableNeurons = unstable,
        };
    }

    /// <summary>δ for one parameter: the constant 0 when it cannot move, else a variable in [lo, hi] (exact rationals).</summary>
    private static Term Parameter(Context ctx, double lo, double hi, string name, int layer, bool isWeight, int index,
                                  List<ParameterVariable> parameters, List<BoolExpr> facts)
    {
        if (lo == 0 && hi == 0) return Term.Of(Rational.Zero);
        var d = ctx.MkRealConst(name);
        facts.Add(ctx.MkLe(ExactTerms.Real(ctx, lo), d));
        facts.Add(ctx.MkLe(d, ExactTerms.Real(ctx, hi)));
        parameters.Add(new ParameterVariable(layer, isWeight, index, d));
        return Term.Of(d);
    }

    /// <summary>Encodes z = sum and σ(z); constants are evaluated exactly. Returns σ(z) and, in zTerm, z itself.</summary>
    private static Term Neuron(Context ctx, Activation a, LinearSum sum, Interval zb, string zName, string hName, ReluEncoding encoding,
                               List<BoolExpr> facts, List<ArithExpr> splits, List<CaseSplit> caseSplits, ref int stable, ref int unstable, out Term zTerm)
    {
        if (sum.IsConstant)
        {
            zTerm = Term.Of(sum.Constant);
            return Term.Of(a.Apply(sum.Constant));
        }
        var z = ctx.MkRealConst(zName);
        facts.Add(ctx.MkEq(z, sum.ToExpr()));
        zTerm = Term.Of(z);
        if (encoding == ReluEncoding.PlainIte)
        {
            // The textbook encoding, for comparison: an ite per neuron, no bounds.
            if (a.IsPiecewiseLinearWithKink) { unstable++; splits.Add(z); }
            return Term.Of(ReluNetworkEncoder.PlainActivation(ctx, a, z, hName, facts));
        }
        ReluNetworkEncoder.AddRange(ctx, z, zb, facts);
        var hv = ReluNetworkEncoder.Activate(ctx, a, z, zb, hName, facts, out var split);
        if (!a.Operator.IsIdentity)
        {
            if (split is not null) { unstable++; splits.Add(z); caseSplits.Add(split); }
            else stable++;
        }
        return Term.Of(hv);
    }

    /// <summary>Σ a·b + c with constant products folded and products of two variables counted.</summary>
    private sealed class LinearSum(Context ctx)
    {
        private readonly List<ArithExpr> _terms = [];
        public Rational Constant { get; private set; } = Rational.Zero;
        public bool IsConstant => _terms.Count == 0;

        public void AddConstant(Rational c) => Constant += c;

        public void Add(Term a, Term b, ref int nonlinear)
        {
            if (a.IsConstant && b.IsConstant) { Constant += a.Constant * b.Constant; return; }
            if (a.IsConstant || b.IsConstant)
            {
                var (c, e) = a.IsConstant ? (a.Constant, b.Expr!) : (b.Constant, a.Expr!);
                if (c.IsZero) return;
                _terms.Add(c == Rational.One ? e : ctx.MkMul(ExactTerms.Real(ctx, c), e));
                return;
            }
            nonlinear++;
            _terms.Add(ctx.MkMul(a.Expr!, b.Expr!));
        }

        public ArithExpr ToExpr()
        {
            var parts = new List<ArithExpr>(_terms);
            if (!Constant.IsZero || parts.Count == 0) parts.Add(ExactTerms.Real(ctx, Constant));
            return parts.Count == 1 ? parts[0] : ctx.MkAdd(parts);
        }
    }
}
