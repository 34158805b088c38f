using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// The admissible parameter changes of the certificate's "perturbation" as an exact box per parameter, built here from
/// the model itself (absolute |δ| ≤ ε, relative |δ| ≤ ε·|θ|, of-range |δ| ≤ P·(max W − min W) on weights, layer mask,
/// weights/biases only), not from the engine's
/// rounded box. A norm ball ‖δW‖ ≤ ratio·‖W‖ is kept as the ball ‖δW‖₂ ≤ r (<see cref="Ball"/>, for the dual-norm
/// bound of <see cref="BallTerm"/>) and enclosed by |δ_ij| ≤ r, for the recorded radius r after checking
/// r ≥ ratio·‖W‖ exactly (<see cref="SpectralRadius"/>; ‖·‖₂ ≤ ‖·‖_F, so a Frobenius radius serves both norms).
/// </summary>
internal sealed class ExactParameters
{
    public readonly Rational[][] WLo, WHi, BLo, BHi;
    private readonly JsonObject _model;

    /// <summary>The norm ball's layer (0-based) and a checked radius r with ‖δW‖₂ ≤ r for every admissible δ; null for
    /// box models and once an `--execution` widening (<see cref="With"/>) left the ball.</summary>
    public (int Layer, Rational Radius)? Ball { get; private init; }

    public ExactParameters(string path, JsonObject model, Network net)
    {
        _model = model;
        BadInputException Bad(string p) => new(path, "certificate: perturbation: " + p);
        string kind = model["kind"] is JsonValue kv && kv.TryGetValue<string>(out var s) ? s : throw Bad("\"kind\" is missing");
        int L = net.Depth;
        WLo = new Rational[L][]; WHi = new Rational[L][]; BLo = new Rational[L][]; BHi = new Rational[L][];
        for (int k = 0; k < L; k++)
        {
            WLo[k] = Zeros(net.Layers[k].Weights.Length); WHi[k] = Zeros(net.Layers[k].Weights.Length);
            BLo[k] = Zeros(net.Layers[k].Outputs); BHi[k] = Zeros(net.Layers[k].Outputs);
        }
        if (kind == "norm-ball")
        {
            int layer = Int(model, "layer") - 1;
            if (layer < 0 || layer >= L) throw Bad("\"layer\" out of range");
            var ratio = Rational.FromDouble(Num(model, "ratio")); var r = Rational.FromDouble(Num(model, "radius"));
            bool spectral = model["norm"] is JsonValue nv && nv.TryGetValue<string>(out var norm) && norm == "spectral";
            if (r.Sign < 0 || ratio.Sign < 0 || !SpectralRadius.Encloses(r, ratio, net.Layers[layer], frobeniusOnly: !spectral))
                throw Bad("\"radius\" does not enclose the norm ball");
            Array.Fill(WLo[layer], -r); Array.Fill(WHi[layer], r);
            Ball = (layer, r);
            return;
        }
        if (kind != "absolute" && kind != "relative" && kind != "of-range") throw Bad($"unknown kind '{kind}'");
        if (model["eps"] is not JsonArray epsArr || (epsArr.Count != 1 && epsArr.Count != L)) throw Bad("\"eps\" must list one value or one per layer");
        var eps = epsArr.Select(e => e is JsonValue v && v.TryGetValue<double>(out var d) && d >= 0 && double.IsFinite(d) ? Rational.FromDouble(d) : throw Bad("\"eps\" entries must be finite numbers ≥ 0")).ToArray();
        var mask = model["layers"] is JsonArray m ? m.Select(x => x is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw Bad("\"layers\" must list integers")).ToHashSet() : null;
        bool weightsOnly = Bool(model, "weightsOnly"), biasesOnly = Bool(model, "biasesOnly");
        bool relative = kind == "relative";
        if (kind == "of-range" && (!weightsOnly || biasesOnly)) throw Bad("of-range moves weights only (\"weightsOnly\": true)");
        for (int k = 0; k < L; k++)
        {
            if (mask is not null && !mask.Contains(k + 1)) continue;
            var e = eps.Length == 1 ? eps[0] : eps[k];
            var layer = net.Layers[k];
            if (kind == "of-range") e *= WeightRange(layer.Weights); // |δ| ≤ P·(max W − min W), exactly
            if (!biasesOnly) Fill(WLo[k], WHi[k], layer.Weights, e, relative);
            if (!weightsOnly) Fill(BLo[k], BHi[k], layer.Bias, e, relative);
        }

        int Int(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw Bad($"\"{key}\" must be an integer");
        double Num(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : throw Bad($"\"{key}\" must be a finite number");
        bool Bool(JsonObject o, string key) => o[key] is null ? false : o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Bad($"\"{key}\" must be true or false");
    }

    /// <summary>Equivalence certificates: the one admissible δ, exactly θ_B − θ_A (the caller checked the shapes).</summary>
    public static ExactParameters Difference(JsonObject model, Network first, Network second)
    {
        int L = first.Depth;
        var w = new Rational[L][]; var b = new Rational[L][];
        for (int k = 0; k < L; k++)
        {
            w[k] = Minus(second.Layers[k].Weights, first.Layers[k].Weights);
            b[k] = Minus(second.Layers[k].Bias, first.Layers[k].Bias);
        }
        return new ExactParameters(model, w, b);
    }

    /// <summary>The same model with another box (the `--execution` widening of <see cref="ExactWidening"/>), without the
    /// ball: the widening's extra width lies outside it, so the bounds go through the box alone, as the engine's do.</summary>
    public ExactParameters With(Rational[][] wlo, Rational[][] whi, Rational[][] blo, Rational[][] bhi) => new(_model, wlo, whi, blo, bhi);

    private ExactParameters(JsonObject model, Rational[][] wlo, Rational[][] whi, Rational[][] blo, Rational[][] bhi)
    {
        _model = model;
        WLo = wlo; WHi = whi; BLo = blo; BHi = bhi;
    }

    private ExactParameters(JsonObject model, Rational[][] w, Rational[][] b)
    {
        _model = model;
        WLo = WHi = w; BLo = BHi = b;
    }

    private static Rational[] Minus(ReadOnlySpan<double> b, ReadOnlySpan<double> a)
    {
        var d = new Rational[a.Length];
        for (int q = 0; q < d.Length; q++) d[q] = Rational.FromDouble(b[q]) - Rational.FromDouble(a[q]);
        return d;
    }

    private static Rational[] Zeros(int n) => new Rational[n];

    private static Rational WeightRange(ReadOnlySpan<double> w)
    {
        if (w.Length == 0) return Rational.Zero;
        double lo = w[0], hi = w[0];
        foreach (var x in w) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
        return Rational.FromDouble(hi) - Rational.FromDouble(lo);
    }

    private static void Fill(Rational[] lo, Rational[] hi, ReadOnlySpan<double> theta, Rational eps, bool relative)
    {
        for (int q = 0; q < lo.Length; q++)
        {
            var r = relative ? eps * Rational.Abs(Rational.FromDouble(theta[q])) : eps;
            lo[q] = -r; hi[q] = r;
        }
    }

    /// <summary>Whether θ' − θ lies in the admissible set, decided exactly; a reason when not.</summary>
    public string? Rejects(Network nominal, Network perturbed)
    {
        if (perturbed.Depth != nominal.Depth) return "the perturbed network has another depth";
        Rational deltaSq = Rational.Zero;
        for (int k = 0; k < nominal.Depth; k++)
        {
            var a = nominal.Layers[k]; var b = perturbed.Layers[k];
            if (a.Inputs != b.Inputs || a.Outputs != b.Outputs || a.Activation != b.Activation) return $"layer {k + 1} of the perturbed network differs in shape or activation";
            for (int q = 0; q < a.Weights.Length; q++)
            {
                var d = Rational.FromDouble(b.Weights[q]) - Rational.FromDouble(a.Weights[q]);
                if (d < WLo[k][q] || d > WHi[k][q]) return $"layer {k + 1} weight {q}: δ = {d.ToDouble():R} is outside the admissible box";
                deltaSq += d * d;
            }
            for (int q = 0; q < a.Outputs; q++)
            {
                var d = Rational.FromDouble(b.Bias[q]) - Rational.FromDouble(a.Bias[q]);
                if (d < BLo[k][q] || d > BHi[k][q]) return $"layer {k + 1} bias {q}: δ = {d.ToDouble():R} is outside the admissible box";
            }
        }
        if (_model["kind"]?.GetValue<string>() != "norm-ball") return null;
        // ‖δ‖ ≤ ratio·‖W‖: exact for Frobenius; for the spectral norm via ‖δ‖₂ ≤ ‖δ‖_F and ‖W‖₂² ≥ ‖Wv‖²/‖v‖² for any v ≠ 0.
        var w = nominal.Layers[_model["layer"]!.GetValue<int>() - 1];
        var ratio = Rational.FromDouble(_model["ratio"]!.GetValue<double>());
        var norm = _model["norm"]?.GetValue<string>() == "spectral" ? SpectralLower(w) : FrobeniusSquared(w);
        return deltaSq <= ratio * ratio * norm ? null : "δ is outside the norm ball (spectral norm: not provably inside)";
    }

    private static Rational FrobeniusSquared(DenseLayer w)
    {
        Rational s = Rational.Zero;
        foreach (var x in w.Weights) { var q = Rational.FromDouble(x); s += q * q; }
        return s;
    }

    /// <summary>‖Wv‖²/‖v‖² ≤ ‖W‖₂², exactly, for v from a few power iterations in doubles (any v gives a valid bound;
    /// a good one gives a tight bound).</summary>
    private static Rational SpectralLower(DenseLayer w)
    {
        var v = new double[w.Inputs];
        Array.Fill(v, 1.0);
        var u = new double[w.Outputs];
        for (int it = 0; it < 100; it++)
        {
            w.PreActivation(v, u);
            for (int i = 0; i < u.Length; i++) u[i] -= w.B(i); // W v without the bias
            w.Transpose(u, v);
            double n = Math.Sqrt(v.Sum(x => x * x));
            if (!(n > 0) || !double.IsFinite(n)) return Rational.Zero;
            for (int j = 0; j < v.Length; j++) v[j] /= n;
        }
        var vr = v.Select(Rational.FromDouble).ToArray();
        Rational vv = Rational.Zero, wv = Rational.Zero;
        foreach (var q in vr) vv += q * q;
        for (int i = 0; i < w.Outputs; i++)
        {
            Rational s = Rational.Zero;
            var row = w.Row(i);
            for (int j = 0; j < row.Length; j++) s += Rational.FromDouble(row[j]) * vr[j];
            wv += s * s;
        }
        return vv.IsZero ? Rational.Zero : wv / vv;
    }
}
