using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;
using Verify.Smt;
using Z3Model = Microsoft.Z3.Model;

namespace Verify.InverseStability;

/// <summary>
/// The question "is there Φ of Γ's architecture with ‖Φ − Γ‖∞ ≤ s that agrees with R(Θ) at the sample points (values
/// and one-sided directional derivatives)?" as nonlinear real arithmetic. Every parameter of Φ is a Z3 real in
/// [Γ_i − s, Γ_i + s] (biases fixed at 0 in the bias-free space); at a fixed point the first layer is linear in Φ and
/// every later layer multiplies a weight variable by an activation variable (bilinear). ReLU is an exact case split.
/// The targets are exact rationals computed from Θ, so an UNSAT answer proves that no such Φ exists.
/// </summary>
internal sealed class FiberEncoding
{
    private readonly Context _ctx;
    private readonly List<BoolExpr> _facts = [];
    private int _fresh;

    /// <summary>Φ's parameters by layer: weights [l][i][j], biases [l][i] (constant 0 when bias-free).</summary>
    public ArithExpr[][][] W { get; }
    public ArithExpr[][] B { get; }
    public IReadOnlyList<BoolExpr> Facts => _facts;

    public FiberEncoding(Context ctx, ExactNet gamma, Rational s, bool biasFree)
    {
        _ctx = ctx;
        var zero = ExactTerms.Real(ctx, Rational.Zero);
        W = new ArithExpr[gamma.Depth][][];
        B = new ArithExpr[gamma.Depth][];
        for (int l = 0; l < gamma.Depth; l++)
        {
            var layer = gamma.Layers[l];
            W[l] = new ArithExpr[layer.Outputs][];
            B[l] = new ArithExpr[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                W[l][i] = new ArithExpr[layer.Inputs];
                for (int j = 0; j < layer.Inputs; j++) W[l][i][j] = Parameter($"w{l}_{i}_{j}", layer.W[i][j], s);
                B[l][i] = biasFree ? zero : Parameter($"b{l}_{i}", layer.B[i], s);
            }
        }
    }

    private ArithExpr Parameter(string name, Rational centre, Rational s)
    {
        var v = _ctx.MkRealConst(name);
        _facts.Add(_ctx.MkLe(ExactTerms.Real(_ctx, centre - s), v));
        _facts.Add(_ctx.MkLe(v, ExactTerms.Real(_ctx, centre + s)));
        return v;
    }

    /// <summary>Asserts R(Φ)(x) = value and R(Φ)′(x; v) = derivative for each given direction.</summary>
    public void Agree(Rational[] x, Rational[] value, IReadOnlyList<(Rational[] Direction, Rational[] Derivative)> derivatives)
    {
        var zero = ExactTerms.Real(_ctx, Rational.Zero);
        // Known-zero inputs are null, so their products are left out of the sums.
        IReadOnlyList<ArithExpr?> h = x.Select(Constant).ToArray();
        var dh = derivatives.Select(d => (IReadOnlyList<ArithExpr?>)d.Direction.Select(Constant).ToArray()).ToArray();
        int depth = W.Length;
        for (int l = 0; l < depth; l++)
        {
            var z = Enumerable.Range(0, W[l].Length).Select(i => Name("z", Sum(W[l][i], h, B[l][i]))).ToArray();
            var dz = dh.Select(d => Enumerable.Range(0, W[l].Length).Select(i => Name("dz", Sum(W[l][i], d, null))).ToArray()).ToArray();
            if (l == depth - 1) { h = z; dh = dz; break; }
            var next = new ArithExpr[z.Length];
            for (int i = 0; i < z.Length; i++)
            {
                var hv = Fresh("h");
                _facts.Add(_ctx.MkGe(hv, zero));
                _facts.Add(_ctx.MkGe(hv, z[i]));
                _facts.Add(_ctx.MkOr(_ctx.MkAnd(_ctx.MkLe(z[i], zero), _ctx.MkEq(hv, zero)),
                                     _ctx.MkAnd(_ctx.MkGe(z[i], zero), _ctx.MkEq(hv, z[i]))));
                next[i] = hv;
            }
            var nextD = new IReadOnlyList<ArithExpr?>[dz.Length];
            for (int k = 0; k < dz.Length; k++)
            {
                var row = new ArithExpr[z.Length];
                for (int i = 0; i < z.Length; i++)
                {
                    // ρ′(z; u) = u (z > 0), 0 (z < 0), max(u, 0) (z = 0).
                    var dv = Fresh("dh");
                    var u = dz[k][i];
                    _facts.Add(_ctx.MkOr(
                        _ctx.MkAnd(_ctx.MkGt(z[i], zero), _ctx.MkEq(dv, u)),
                        _ctx.MkAnd(_ctx.MkLt(z[i], zero), _ctx.MkEq(dv, zero)),
                        _ctx.MkAnd(_ctx.MkEq(z[i], zero), _ctx.MkGe(u, zero), _ctx.MkEq(dv, u)),
                        _ctx.MkAnd(_ctx.MkEq(z[i], zero), _ctx.MkLe(u, zero), _ctx.MkEq(dv, zero))));
                    row[i] = dv;
                }
                nextD[k] = row;
            }
            h = next; dh = nextD;
        }
        for (int o = 0; o < value.Length; o++) _facts.Add(_ctx.MkEq(h[o]!, ExactTerms.Real(_ctx, value[o])));
        for (int k = 0; k < derivatives.Count; k++)
            for (int o = 0; o < value.Length; o++) _facts.Add(_ctx.MkEq(dh[k][o]!, ExactTerms.Real(_ctx, derivatives[k].Derivative[o])));
    }

    private ArithExpr? Constant(Rational v) => v.IsZero ? null : ExactTerms.Real(_ctx, v);

    private ArithExpr Sum(ArithExpr[] w, IReadOnlyList<ArithExpr?> h, ArithExpr? bias)
    {
        var parts = new List<ArithExpr>();
        for (int j = 0; j < w.Length; j++)
            if (h[j] is { } hj) parts.Add(_ctx.MkMul(w[j], hj));
        if (bias is not null) parts.Add(bias);
        return parts.Count switch { 0 => ExactTerms.Real(_ctx, Rational.Zero), 1 => parts[0], _ => _ctx.MkAdd(parts) };
    }

    private ArithExpr Name(string prefix, ArithExpr term)
    {
        var v = Fresh(prefix);
        _facts.Add(_ctx.MkEq(v, term));
        return v;
    }

    private ArithExpr Fresh(string prefix) => _ctx.MkRealConst($"{prefix}#{_fresh++}");

    /// <summary>Φ from a model, or null when some parameter is irrational (algebraic): then it is only an enclosure.</summary>
    public ExactNet? ReadModel(Z3Model model)
    {
        var layers = new ExactLayer[W.Length];
        for (int l = 0; l < W.Length; l++)
        {
            var w = new Rational[W[l].Length][];
            var b = new Rational[W[l].Length];
            for (int i = 0; i < W[l].Length; i++)
            {
                w[i] = new Rational[W[l][i].Length];
                for (int j = 0; j < w[i].Length; j++)
                {
                    if (ExactTerms.Evaluate(model, W[l][i][j]) is not { IsExact: true } v) return null;
                    w[i][j] = v.Value;
                }
                if (ExactTerms.Evaluate(model, B[l][i]) is not { IsExact: true } bv) return null;
                b[i] = bv.Value;
            }
            layers[l] = new ExactLayer(w, b);
        }
        return new ExactNet(layers);
    }
}
