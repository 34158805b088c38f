using System.Globalization;
using Verify.Intervals;

namespace Verify.Checker;

/// <summary>A check that failed, with the reason; the checker reports it as "invalid", never as an error.</summary>
internal sealed class CheckFailure(string reason) : Exception(reason);

/// <summary>
/// One node of the split tree recomputed in exact rational arithmetic from its recorded choices, layer by layer:
/// (1) each recorded enclosure of z, Δz, z' must be implied by what is already established: the exact interval image
/// of the previous layer or the parent's (checked) enclosure, which holds on this sub-box, first, then (only where
/// that is not enough) an exact backward pass through the recorded planes;
/// (2) each recorded plane must hold over its neuron's recorded enclosure (checked at every vertex of the pieces on
/// which the activation is linear); (3) the node's bound per output must be at least max |Δh_out| as recomputed here,
/// or the parent's bound.
/// Post-activation enclosures are derived here, never read. Nothing is rounded and nothing is searched.
/// </summary>
internal sealed partial class ExactNode
{
    /// <summary>Lo/Hi of three variables per neuron: (z, Δz, z') before an activation, (h, Δh, h') after it.</summary>
    internal sealed class Ranges(int n)
    {
        public readonly Rational[] ALo = new Rational[n], AHi = new Rational[n], DLo = new Rational[n], DHi = new Rational[n], PLo = new Rational[n], PHi = new Rational[n];
    }

    private readonly ExactNetwork _net;
    private readonly ExactParameters _delta;
    private readonly NodeInput _leaf;
    private readonly ExactNode? _parent;

    /// <summary>The node's checked pre-activation enclosures, valid on its children's boxes.</summary>
    internal Ranges[] Pre => _pre;

    /// <summary>Per output, the exact bound established for this node (its own, or its parent's if smaller); set by <see cref="Check"/>.</summary>
    public Rational[] Exact { get; private set; } = [];

    public NodeInput Record => _leaf;
    private readonly Rational[] _xLo, _xHi;
    private readonly Ranges[] _pre, _post; // _post[0] is the input: h = h' = x, Δh = 0
    private readonly Rational[][][] _planes;

    public ExactNode(ExactNetwork net, ExactParameters delta, NodeInput leaf, ExactNode? parent, int? marginClass = null)
    {
        _marginClass = marginClass;
        if (parent is not null)
            for (int j = 0; j < leaf.Lower.Length; j++)
                if (leaf.Lower[j] < parent.Record.Lower[j] || leaf.Upper[j] > parent.Record.Upper[j])
                    throw new CheckFailure($"its box is not inside its parent's (dimension {j})");
        _parent = parent;
        if (leaf.Layers.Count != net.Depth) throw new CheckFailure($"it records {leaf.Layers.Count} layers, the network has {net.Depth}");
        if (leaf.Bound.Length != net.Outputs[^1]) throw new CheckFailure($"its bound has {leaf.Bound.Length} entries, the network {net.Outputs[^1]} outputs");
        _net = net; _delta = delta; _leaf = leaf;
        _xLo = leaf.Lower.Select(Rational.FromDouble).ToArray(); _xHi = leaf.Upper.Select(Rational.FromDouble).ToArray();
        _pre = new Ranges[net.Depth]; _post = new Ranges[net.Depth];
        _planes = new Rational[net.Depth][][];
        var input = new Ranges(_xLo.Length);
        for (int j = 0; j < _xLo.Length; j++)
        {
            input.ALo[j] = input.PLo[j] = _xLo[j]; input.AHi[j] = input.PHi[j] = _xHi[j];
            input.DLo[j] = input.DHi[j] = Rational.Zero;
        }
        _post[0] = input;
        _dyadics = new (Dyadic[], Dyadic[], Dyadic[], Dyadic[], Dyadic[], Dyadic[])?[net.Depth];
        _postDyadic = new (Dyadic[], Dyadic[])[net.Depth];
        _planesDyadic = new Dyadic[net.Depth][][];
        _xLoDyadic = Dyadic.Of(_xLo); _xHiDyadic = Dyadic.Of(_xHi);
        _postDyadic[0] = (_xLoDyadic, _xHiDyadic);
    }

    /// <summary>The exact bound per output this node proves; throws <see cref="CheckFailure"/> at the first failing check.</summary>
    public Rational[] Check()
    {
        int depth = _net.Depth;
        for (int k = 0; k < depth; k++)
        {
            var rec = Recorded(k);
            var img = Image(k);
            if (_parent is not null) Meet(img, _parent.Pre[k]);
            bool last = k == depth - 1;
            var ownDHi = new Rational?[rec.AHi.Length]; var ownDLo = new Rational?[rec.AHi.Length];
            // Neurons in parallel (the backward passes are independent; nodes of one tree level run in parallel too,
            // but the root level has one node); the first failing neuron by index is reported.
            var failures = new string?[rec.AHi.Length];
            Parallel.For(0, rec.AHi.Length, i =>
            {
                try
                {
                    if (last) { ownDHi[i] = Rational.Min(img.DHi[i], Backward(k, i, 0, 1)); ownDLo[i] = Rational.Max(img.DLo[i], -Backward(k, i, 0, -1)); }
                    Implied(k, i, "zHi", rec.AHi[i], img.AHi[i], () => Backward(k, i, 1, 0));
                    Implied(k, i, "zLo", -rec.ALo[i], -img.ALo[i], () => Backward(k, i, -1, 0));
                    Implied(k, i, "dHi", rec.DHi[i], ownDHi[i] ?? img.DHi[i], () => Backward(k, i, 0, 1));
                    Implied(k, i, "dLo", -rec.DLo[i], -(ownDLo[i] ?? img.DLo[i]), () => Backward(k, i, 0, -1));
                    Implied(k, i, "pHi", rec.PHi[i], Rational.Min(img.PHi[i], rec.AHi[i] + rec.DHi[i]), () => Backward(k, i, 1, 1));
                    Implied(k, i, "pLo", -rec.PLo[i], -Rational.Max(img.PLo[i], rec.ALo[i] + rec.DLo[i]), () => Backward(k, i, -1, -1));
                }
                catch (CheckFailure f) { failures[i] = f.Message; }
            });
            if (failures.FirstOrDefault(f => f is not null) is { } failure) throw new CheckFailure(failure);
            _pre[k] = rec;
            if (last)
            {
                var own = OutputBound(k, ownDLo, ownDHi);
                for (int j = 0; j < own.Length; j++)
                {
                    var established = _parent is null ? own[j] : Rational.Min(own[j], Rational.FromDouble(_parent.Record.Bound[j]));
                    if (Rational.FromDouble(_leaf.Bound[j]) < established)
                        throw new CheckFailure(string.Create(CultureInfo.InvariantCulture,
                            $"output {j}: its bound {_leaf.Bound[j]:R} is below the exact bound {established.ToDouble():R}"));
                }
                Exact = _parent is null ? own : own.Zip(_parent.Exact, Rational.Min).ToArray();
                if (_marginClass is { } c) CheckMargins(k, c);
                return Exact;
            }
            _planes[k] = Planes(k);
            _planesDyadic[k] = Array.ConvertAll(_planes[k], Dyadic.Of);
            _post[k + 1] = Activate(k);
            _postDyadic[k + 1] = (Dyadic.Of(_post[k + 1].PLo), Dyadic.Of(_post[k + 1].PHi));
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// Layer k's planes per neuron: the recorded ones, and for the neurons not listed the exact h = s·z, Δh = s·Δz,
    /// which needs z and z' on one linear piece of σ (slope s) by the checked enclosures, or σ linear.
    /// </summary>
    private Rational[][] Planes(int k)
    {
        var pre = _pre[k];
        int n = pre.AHi.Length;
        var p = Enumerable.Range(0, 12).Select(_ => new Rational[n]).ToArray();
        var listed = new bool[n];
        var layer = _leaf.Layers[k];
        for (int q = 0; q < layer.PlaneNeurons!.Length; q++)
        {
            int j = layer.PlaneNeurons[q];
            listed[j] = true;
            for (int a = 0; a < 12; a++) p[a][j] = Rational.FromDouble(layer.Planes![a][q]);
        }
        for (int j = 0; j < n; j++)
        {
            if (listed[j]) continue;
            Rational s = pre.ALo[j].Sign >= 0 && pre.PLo[j].Sign >= 0 ? _net.P[k]
                : pre.AHi[j].Sign <= 0 && pre.PHi[j].Sign <= 0 ? _net.N[k]
                : _net.P[k] == _net.N[k] ? _net.P[k]
                : throw new CheckFailure($"layer {k + 1} neuron {j}: no planes are recorded, yet z or z' may cross the kink");
            p[0][j] = p[2][j] = s; p[5][j] = p[9][j] = s; // h = s·z, Δh = s·Δz; every other coefficient 0
        }
        return p;
    }

    /// <summary>Both enclosures hold on this node's box, so their intersection does.</summary>
    private static void Meet(Ranges a, Ranges b)
    {
        for (int i = 0; i < a.AHi.Length; i++)
        {
            a.ALo[i] = Rational.Max(a.ALo[i], b.ALo[i]); a.AHi[i] = Rational.Min(a.AHi[i], b.AHi[i]);
            a.DLo[i] = Rational.Max(a.DLo[i], b.DLo[i]); a.DHi[i] = Rational.Min(a.DHi[i], b.DHi[i]);
            a.PLo[i] = Rational.Max(a.PLo[i], b.PLo[i]); a.PHi[i] = Rational.Min(a.PHi[i], b.PHi[i]);
        }
    }

    private Ranges Recorded(int k)
    {
        var l = _leaf.Layers[k];
        int n = _net.Outputs[k];
        if (l.ZLo.Length != n) throw new CheckFailure($"layer {k + 1} records {l.ZLo.Length} neurons, the network has {n}");
        var r = new Ranges(n);
        for (int i = 0; i < n; i++)
        {
            r.ALo[i] = Rational.FromDouble(l.ZLo[i]); r.AHi[i] = Rational.FromDouble(l.ZHi[i]);
            r.DLo[i] = Rational.FromDouble(l.DLo[i]); r.DHi[i] = Rational.FromDouble(l.DHi[i]);
            r.PLo[i] = Rational.FromDouble(l.PLo[i]); r.PHi[i] = Rational.FromDouble(l.PHi[i]);
        }
        return r;
    }

    /// <summary>The recorded upper bound (a negated lower bound for the Lo fields) must be ≥ an established one.</summary>
    private static void Implied(int k, int i, string field, Rational recorded, Rational cheap, Func<Rational> backward)
    {
        if (recorded >= cheap) return;
        var exact = backward();
        if (recorded >= exact) return;
        var best = Rational.Min(cheap, exact);
        if (field.EndsWith("Lo", StringComparison.Ordinal)) { recorded = -recorded; best = -best; }
        throw new CheckFailure(string.Create(CultureInfo.InvariantCulture,
            $"layer {k + 1} neuron {i}: the recorded {field} = {recorded.ToDouble():R} is not implied (the exact bound is {best.ToDouble():R})"));
    }

    /// <summary>Exact interval image of layer k's z, Δz, z' from the established post-activations of layer k − 1. On a
    /// norm ball's layer δW·h′ is enclosed both per entry of the ball's box and by |(δW h′)_i| ≤ r‖h′‖₂
    /// (<see cref="BallTerm"/>); both hold, so their intersection does.</summary>
    private Ranges Image(int k)
    {
        int nIn = _net.Inputs[k], nOut = _net.Outputs[k];
        var w = _net.W[k]; var prev = _post[k];
        var wlo = _delta.WLo[k]; var whi = _delta.WHi[k];
        Rational? row = _delta.Ball is { } ball && ball.Layer == k ? BallTerm.RowBound(ball.Radius, prev.PLo, prev.PHi) : null;
        var r = new Ranges(nOut);
        for (int i = 0; i < nOut; i++)
        {
            var b = _net.B[k][i];
            Rational zl = b, zh = b, dl = _delta.BLo[k][i], dh = _delta.BHi[k][i], pl = b + dl, ph = b + dh;
            Rational ml = Rational.Zero, mh = Rational.Zero, wl = pl, wh = ph; // δW·h′ per entry; W·h′ + b + δb
            for (int j = 0; j < nIn; j++)
            {
                var wij = w[i * nIn + j];
                if (wij.Sign > 0) { zl += wij * prev.ALo[j]; zh += wij * prev.AHi[j]; dl += wij * prev.DLo[j]; dh += wij * prev.DHi[j]; }
                else if (wij.Sign < 0) { zl += wij * prev.AHi[j]; zh += wij * prev.ALo[j]; dl += wij * prev.DHi[j]; dh += wij * prev.DLo[j]; }
                var (el, eh) = Product(wlo[i * nIn + j], whi[i * nIn + j], prev.PLo[j], prev.PHi[j]);
                ml += el; mh += eh;
                var (ql, qh) = Product(wij + wlo[i * nIn + j], wij + whi[i * nIn + j], prev.PLo[j], prev.PHi[j]);
                pl += ql; ph += qh;
                if (row is not null)
                {
                    var (vl, vh) = Product(wij, wij, prev.PLo[j], prev.PHi[j]);
                    wl += vl; wh += vh;
                }
            }
            if (row is { } rb)
            {
                ml = Rational.Max(ml, -rb); mh = Rational.Min(mh, rb);
                pl = Rational.Max(pl, wl - rb); ph = Rational.Min(ph, wh + rb);
            }
            r.ALo[i] = zl; r.AHi[i] = zh; r.DLo[i] = dl + ml; r.DHi[i] = dh + mh; r.PLo[i] = pl; r.PHi[i] = ph;
        }
        return r;
    }

    private static (Rational, Rational) Product(Rational a, Rational b, Rational c, Rational d)
    {
        if (a.IsZero && b.IsZero) return (Rational.Zero, Rational.Zero);
        Rational p1 = a * c, p2 = a * d, p3 = b * c, p4 = b * d;
        return (Rational.Min(Rational.Min(p1, p2), Rational.Min(p3, p4)), Rational.Max(Rational.Max(p1, p2), Rational.Max(p3, p4)));
    }

    /// <summary>Checks layer k's planes over its enclosures and derives the post-activation ranges of h, Δh and h'.</summary>
    private Ranges Activate(int k)
    {
        var pre = _pre[k]; var p = _planes[k];
        int n = pre.AHi.Length;
        var r = new Ranges(n);
        for (int j = 0; j < n; j++)
        {
            Rational l = pre.ALo[j], u = pre.AHi[j];
            (r.ALo[j], r.AHi[j]) = SigmaRange(k, l, u);
            (r.PLo[j], r.PHi[j]) = SigmaRange(k, pre.PLo[j], pre.PHi[j]);
            foreach (var t in KinkPoints(l, u))
            {
                var s = _net.Sigma(k, t);
                if (s > p[0][j] * t + p[1][j]) Fail(k, j, "the upper plane of h is below σ at z = " + t.ToDouble().ToString("R", CultureInfo.InvariantCulture));
                if (s < p[2][j] * t + p[3][j]) Fail(k, j, "the lower plane of h is above σ at z = " + t.ToDouble().ToString("R", CultureInfo.InvariantCulture));
            }
            var vertices = PieceVertices.Of(l, u, pre.DLo[j], pre.DHi[j], pre.PLo[j], pre.PHi[j]);
            if (vertices.Count == 0) Fail(k, j, "its (z, Δz, z') enclosure is empty");
            Rational? lo = null, hi = null;
            foreach (var (z, d) in vertices)
            {
                var zp = z + d;
                var dh = _net.Sigma(k, zp) - _net.Sigma(k, z);
                lo = lo is { } a && a <= dh ? a : dh; hi = hi is { } b && b >= dh ? b : dh;
                if (dh > p[4][j] * z + p[5][j] * d + p[6][j] * zp + p[7][j]) Fail(k, j, $"the upper plane of Δh fails at (z, Δz) = ({z.ToDouble():R}, {d.ToDouble():R})");
                if (dh < p[8][j] * z + p[9][j] * d + p[10][j] * zp + p[11][j]) Fail(k, j, $"the lower plane of Δh fails at (z, Δz) = ({z.ToDouble():R}, {d.ToDouble():R})");
            }
            r.DLo[j] = lo!.Value; r.DHi[j] = hi!.Value;
            // h' = h + Δh as well as σ(z').
            r.PLo[j] = Rational.Max(r.PLo[j], r.ALo[j] + r.DLo[j]); r.PHi[j] = Rational.Min(r.PHi[j], r.AHi[j] + r.DHi[j]);
        }
        return r;
    }

    private static void Fail(int k, int j, string why) => throw new CheckFailure($"layer {k + 1} neuron {j}: {why}");

    private static IEnumerable<Rational> KinkPoints(Rational l, Rational u) =>
        l.Sign < 0 && u.Sign > 0 ? [l, u, Rational.Zero] : [l, u];

    private (Rational, Rational) SigmaRange(int k, Rational l, Rational u)
    {
        var v = KinkPoints(l, u).Select(t => _net.Sigma(k, t)).ToArray();
        return (v.Min(), v.Max());
    }

    /// <summary>max |Δh_out| per output over the output layer's established enclosure (the recorded one, intersected
    /// with the Δz bounds recomputed here).</summary>
    private Rational[] OutputBound(int k, Rational?[] ownDLo, Rational?[] ownDHi)
    {
        var pre = _pre[k];
        var bound = new Rational[pre.AHi.Length];
        for (int j = 0; j < bound.Length; j++)
        {
            var dl = Rational.Max(pre.DLo[j], ownDLo[j]!.Value); var dh = Rational.Min(pre.DHi[j], ownDHi[j]!.Value);
            var vertices = PieceVertices.Of(pre.ALo[j], pre.AHi[j], dl, dh, pre.PLo[j], pre.PHi[j]);
            if (vertices.Count == 0) Fail(k, j, "its (z, Δz, z') enclosure is empty");
            bound[j] = vertices.Select(v => Rational.Abs(_net.Sigma(k, v.Z + v.D) - _net.Sigma(k, v.Z))).Max();
        }
        return bound;
    }

    /// <summary>
    /// An exact upper bound of cz·z_i + cd·Δz_i (layer m) over the leaf, carried down to the input through the affine
    /// steps (the bilinear δW·h' term bounded by max(pos·h', neg·h') per input, its chord when the sign of h' is open)
    /// and the recorded planes of every activation below.
    /// </summary>
    private Rational Backward(int m, int i, int cz, int cd)
    {
        var c = new Rational[_net.Outputs[m]]; var d = new Rational[_net.Outputs[m]];
        c[i] = cz; d[i] = cd;
        return Backward(m, c, d);
    }

    /// <summary>An exact upper bound of Σ_i c_i·z_i + d_i·Δz_i (layer m) over the leaf, as above, in exact dyadic
    /// arithmetic (<see cref="Dyadic"/>: every number here is one).</summary>
    private Rational Backward(int m, Rational[] cIn, Rational[] dIn)
    {
        var c = Dyadic.Of(cIn); var d = Dyadic.Of(dIn);
        var acc = Dyadic.Zero;
        for (int k = m; ; k--)
        {
            int nIn = _net.Inputs[k], nOut = _net.Outputs[k];
            var (w, b, wlo, whi, blo, bhi) = Dyadics(k);
            bool ball = _delta.Ball is { } bl && bl.Layer == k;
            var ch = new Dyadic[nIn]; var cdz = new Dyadic[nIn]; var pos = new Dyadic[nIn]; var neg = new Dyadic[nIn];
            for (int r = 0; r < nOut; r++)
            {
                Dyadic ci = c[r], di = d[r];
                if (!ci.IsZero)
                {
                    acc += ci * b[r];
                    for (int j = 0; j < nIn; j++) if (!w[r * nIn + j].IsZero) ch[j] += ci * w[r * nIn + j];
                }
                if (di.IsZero) continue;
                acc += di * (di.Sign > 0 ? bhi[r] : blo[r]);
                for (int j = 0; j < nIn; j++)
                {
                    int q = r * nIn + j;
                    if (!w[q].IsZero) cdz[j] += di * w[q];
                    if (ball || wlo[q].IsZero && whi[q].IsZero) continue; // a ball's term: below, through the dual norm
                    Dyadic lo = di * wlo[q], hi = di * whi[q];
                    if ((hi - lo).Sign >= 0) { pos[j] += hi; neg[j] += lo; } else { pos[j] += lo; neg[j] += hi; }
                }
            }
            var (pl, pu) = _postDyadic[k];
            var s = new Dyadic[nIn];
            // The bilinear term: on a ball's layer sup dᵀδW h′ ≤ r‖d‖₂‖h′‖₂, linear in h′ (BallTerm), else per input j.
            if (ball) acc += BallTerm.Linear(_delta.Ball!.Value.Radius, d, pl, pu, s);
            else for (int j = 0; j < nIn; j++)
            {
                if (pl[j].Sign >= 0) s[j] = pos[j];
                else if (pu[j].Sign <= 0) s[j] = neg[j];
                else
                {
                    // G(t) = max(pos·t, neg·t) is convex, so a line above it at both ends of [pl, pu] lies above it
                    // there: about the chord's slope (any slope is sound), the intercept raised to the larger gap at
                    // the two ends. An exact chord would leave the dyadic numbers.
                    double slope = (pos[j].ToDouble() * pu[j].ToDouble() - neg[j].ToDouble() * pl[j].ToDouble()) / (pu[j].ToDouble() - pl[j].ToDouble());
                    s[j] = double.IsFinite(slope) ? Dyadic.Of(slope) : pos[j];
                    acc += Dyadic.Max(neg[j] * pl[j] - s[j] * pl[j], pos[j] * pu[j] - s[j] * pu[j]);
                }
            }
            if (k == 0)
            {
                for (int j = 0; j < nIn; j++)
                {
                    var xc = ch[j] + s[j];
                    acc += xc.Sign > 0 ? xc * _xHiDyadic[j] : xc * _xLoDyadic[j];
                }
                return acc.ToRational();
            }
            var p = _planesDyadic[k - 1];
            c = new Dyadic[nIn]; d = new Dyadic[nIn];
            for (int j = 0; j < nIn; j++)
            {
                Dyadic a = ch[j] + s[j], bj = cdz[j] + s[j];
                if (a.Sign > 0) { c[j] += a * p[0][j]; acc += a * p[1][j]; }
                else if (a.Sign < 0) { c[j] += a * p[2][j]; acc += a * p[3][j]; }
                int o = bj.Sign > 0 ? 4 : 8; // the upper or the lower plane of Δh: Δh ≤ Z z + D Δz + P z' + T, z' = z + Δz
                if (!bj.IsZero)
                {
                    c[j] += bj * (p[o][j] + p[o + 2][j]);
                    d[j] += bj * (p[o + 1][j] + p[o + 2][j]);
                    acc += bj * p[o + 3][j];
                }
            }
        }
    }

    private readonly (Dyadic[] W, Dyadic[] B, Dyadic[] WLo, Dyadic[] WHi, Dyadic[] BLo, Dyadic[] BHi)?[] _dyadics;
    private readonly (Dyadic[] Lo, Dyadic[] Hi)[] _postDyadic;
    private readonly Dyadic[][][] _planesDyadic;
    private Dyadic[] _xLoDyadic = [], _xHiDyadic = [];

    /// <summary>Layer k's parameters and admissible box as dyadic numbers, converted once per node.</summary>
    /// <remarks>The entries are six-reference structs written by the neurons' parallel backward passes: read without
    /// the lock, one could be seen half written (HasValue already set, a field still null), which made the checker
    /// throw a NullReferenceException about once in a CI run. Reads and writes both take the lock.</remarks>
    private (Dyadic[] W, Dyadic[] B, Dyadic[] WLo, Dyadic[] WHi, Dyadic[] BLo, Dyadic[] BHi) Dyadics(int k)
    {
        lock (_dyadics)
            if (_dyadics[k] is { } done) return done;
        var v = (Dyadic.Of(_net.W[k]), Dyadic.Of(_net.B[k]), Dyadic.Of(_delta.WLo[k]), Dyadic.Of(_delta.WHi[k]), Dyadic.Of(_delta.BLo[k]), Dyadic.Of(_delta.BHi[k]));
        lock (_dyadics) return (_dyadics[k] ??= v);
    }
}
