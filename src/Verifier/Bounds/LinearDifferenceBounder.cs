using System.Numerics;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// `--method linear`: symbolic (CROWN/DeepPoly-style) linear bounds of the JOINT nominal-and-difference network.
/// The variables of layer k are (z_k, Δz_k) before and (h_k, Δh_k) after the activation, with z' = z + Δz and
/// h' = h + Δh. A backward pass carries an upper bound Σ c·z + d·Δz + const of a linear objective down to the input:
/// <list type="bullet">
/// <item>Affine step: z = W h + b and Δz = W Δh + δW h' + δb. The bilinear term d_i δW_ij h'_j, with δW_ij in
/// [a_ij, b_ij] independently per entry, is bounded EXACTLY by G_j(h'_j) = max(pos_j h'_j, neg_j h'_j) where
/// pos_j = Σ_i max(d_i a_ij, d_i b_ij) and neg_j = Σ_i min(…): linear in h'_j when its sign is known (always after
/// ReLU), otherwise replaced by its chord (first layer, where h' = x). For a norm ball ‖δW‖ ≤ r (Frobenius or spectral)
/// the term is bounded through the dual norm instead: sup dᵀ δW h' = r‖d‖₂‖h'‖₂, with ‖h'‖₂ replaced by a linear upper
/// bound over the box of h' (<see cref="BallBilinearTerm"/>).</item>
/// <item>Activation step: h and Δh = σ(z') − σ(z) are replaced by planes in (z, Δz, z') chosen per neuron: the chord
/// of σ(Δz)-envelopes in Δz alone (exact 0 when Δz = 0, so ε = 0 gives U = 0), or the difference of 1-D relaxations of
/// σ(z') and σ(z) (exact for stable neurons). Slopes are picked in floating point; intercepts are computed rigorously
/// (<see cref="Kink"/>), so every plane is valid in exact arithmetic.</item>
/// </list>
/// FLOATING-POINT SOUNDNESS. The new coefficients of a step are floating-point sums of products, e.g. fl(Σ_i c_i W_ij)
/// instead of the exact Σ_i c_i W_ij. The exact objective value is c*·v = fl(c)·v + (c* − fl(c))·v, and
/// |c* − fl(c)| ≤ γ_n Σ_i |c_i W_ij| (Higham, γ_n = n u/(1 − n u)). So adding γ·Σ_j (Σ_i |c_i||W_ij|)·mag(v_j) to the
/// constant, with mag(v_j) a rigorous bound on |v_j| from the layer's enclosures, keeps the bound an upper bound of the
/// exact-arithmetic objective. Each step accumulates these absolute sums alongside the coefficients and adds
/// <see cref="DotErrorBound.Gamma"/>·(sum) rounded upward. Constants and the final concretisation over the input box are
/// accumulated with upward rounding. Lower bounds are upper bounds of the negated objective.
/// Intermediate bounds of z, Δz and z' for every layer come from the same backward passes, intersected with interval
/// propagation (<see cref="IntervalStep"/>). Stateless between calls and thread-safe.
/// </summary>
public sealed partial class LinearDifferenceBounder : IInfluenceBounder
{
    /// <summary>Weight of the spread in the plane-choice score: 0 picks the plane with the smallest mean over the
    /// (z, Δz) box, 1 the smallest maximum.</summary>
    public double PlaneSpreadWeight { get; init; } = 0.25;

    /// <summary>Also bound z' = z + Δz by its own backward passes (tighter, twice the cost); otherwise z' is enclosed by
    /// [z] + [Δz] and interval propagation.</summary>
    public bool ZPrimeRows { get; init; }

    /// <summary>How ‖h′‖₂ of a norm ball's bilinear term r‖d‖₂‖h′‖₂ is bounded over the box of h′ (see
    /// <see cref="BallBilinearTerm"/>).</summary>
    public BallNormBound BallNorm { get; init; } = BallNormBound.Linear;

    /// <summary>Optimise the free slopes of the relaxations per output bound (α-CROWN style, see
    /// LinearDifferenceBounder.Slopes.cs); the bound reported is never above the plain one.</summary>
    public bool OptimizeSlopes { get; init; }

    /// <summary>Projected-Adam iterations per optimised bound.</summary>
    public int SlopeIterations { get; init; } = 20;

    /// <summary>With <see cref="OptimizeSlopes"/>: also optimise the bounds of the pre-activations of the last this-many
    /// hidden layers (0: only the outputs; each optimised hidden layer costs about SlopeIterations plain passes of it).</summary>
    public int OptimizedHiddenLayers { get; init; }

    /// <summary>With <see cref="OptimizeSlopes"/>: optimise the output bounds too (else only the hidden layers' are, and
    /// the outputs take the plain planes of the optimised enclosures).</summary>
    public bool OptimizeOutputs { get; init; } = true;

    /// <summary>With <see cref="OptimizedHiddenLayers"/>: optimise the hidden Δz bounds as well as the z bounds.</summary>
    public bool OptimizeHiddenDeltas { get; init; } = true;

    /// <summary>With <see cref="OptimizedHiddenLayers"/>: stop optimising a hidden z bound once it proves its neuron
    /// stable (and skip the lower bound of a neuron proved inactive).</summary>
    public bool StopAtStability { get; init; }

    public string Name => "linear";

    public DeviationBound Bound(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default) =>
        BoundWithInfluence(network, box, delta, cancellation).Bound;

    /// <summary>The bound, plus for every input dimension how much the width of the box along it contributes to the
    /// output bounds (Σ over outputs of |coefficient|·width, normalised per output): the branching heuristic.</summary>
    public (DeviationBound Bound, double[] Influence) BoundWithInfluence(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        var (bound, influence, _) = BoundWithEnclosures(network, box, delta, null, cancellation);
        return (bound, influence);
    }

    /// <summary>
    /// As <see cref="BoundWithInfluence"/>, also returning the enclosures of every layer, and intersecting the
    /// pre-activation enclosures with <paramref name="outer"/> when given: enclosures computed on a box that CONTAINS
    /// <paramref name="box"/> (input splitting passes the parent's), valid here because they hold on a superset.
    /// </summary>
    internal (DeviationBound Bound, double[] Influence, LayerBounds[] Enclosures) BoundWithEnclosures(Network network, Box box,
        ParameterBox delta, LayerBounds[]? outer, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight)
        {
            Outer = outer,
            ZPrimeRows = ZPrimeRows,
            BallNorm = BallNorm,
            SlopeIterations = OptimizeSlopes ? Math.Max(1, SlopeIterations) : 0,
            OptimizedHiddenLayers = OptimizeSlopes ? Math.Max(0, OptimizedHiddenLayers) : 0,
            OptimizeOutputs = OptimizeOutputs, OptimizeHiddenDeltas = OptimizeHiddenDeltas, StopAtStability = StopAtStability,
        };
        return pass.Run(cancellation);
    }

    /// <summary>
    /// The enclosures of z, Δz and z' of every layer (index 0 = input) after the joint linear pass, with z' rows: tighter
    /// than plain interval propagation. The exact SMT encodings fix stable neurons with them.
    /// </summary>
    internal LayerBounds[] LayerEnclosures(Network network, Box box, ParameterBox delta, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight) { ZPrimeRows = true };
        pass.Run(cancellation);
        return pass.Enclosures;
    }

    private sealed partial class JointPass
    {
        private readonly Network _net;
        private readonly ParameterBox _delta;
        private readonly double[] _xLo, _xHi;
        private readonly double _spread;
        public bool ZPrimeRows { get; init; }
        public BallNormBound BallNorm { get; init; }
        public int SlopeIterations { get; init; }
        public int OptimizedHiddenLayers { get; init; }
        private readonly LayerBounds[] _b;      // _b[0] = input, _b[k+1] = layer k

        /// <summary>Every layer's enclosures, complete after <see cref="Run"/>.</summary>
        public LayerBounds[] Enclosures => _b;
        private readonly Planes?[] _planes;     // per layer k (activation of layer k)
        private Planes?[] _active;              // the planes the backward pass uses: _planes, or an optimiser's copies
        private readonly double[][] _maxDelta;
        private readonly double[]?[] _errC, _errD; // per layer: Σ_j |W_ij| mag(h_j) and Σ_j |W_ij| mag(Δh_j) + |δW_ij| mag(h'_j)
        private readonly double[] _c, _d, _ch, _cd, _pos, _neg, _xc;
        private readonly int[] _rows;
        private readonly double[] _one = new double[1];

        public JointPass(Network net, Box box, ParameterBox delta, double spread)
        {
            _net = net; _delta = delta; _spread = spread;
            _xLo = box.Lower; _xHi = box.Upper;
            _b = new LayerBounds[net.Depth + 1];
            _b[0] = LayerBounds.ForInput(_xLo, _xHi);
            _planes = new Planes?[net.Depth];
            _active = _planes;
            _hPrimeNonNegative = new bool[net.Depth];
            _errC = new double[net.Depth][]; _errD = new double[net.Depth][];
            _maxDelta = new double[net.Depth][];
            _magOf = new LayerBounds?[net.Depth]; _magZ = new double[net.Depth][]; _magD = new double[net.Depth][];
            int width = net.InputSize;
            for (int k = 0; k < net.Depth; k++)
            {
                var L = net.Layers[k];
                width = Math.Max(width, L.Outputs);
                _maxDelta[k] = MaxDeltas.GetValue(delta.Layers[k], MaxDeltaOf);
            }
            _c = new double[width]; _d = new double[width]; _ch = new double[width]; _cd = new double[width];
            _pos = new double[width]; _neg = new double[width]; _xc = new double[width];
            _rows = new int[width];
        }

        /// <summary>max(−δW_lo, δW_hi) per weight, once per layer box: every part of a branch and bound shares its
        /// δ, and recomputing them was a quarter of a pass's allocations on ACAS Xu (84 KB per part).</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ParameterBox.LayerBox, double[]> MaxDeltas = new();

        private static double[] MaxDeltaOf(ParameterBox.LayerBox dl)
        {
            var e = new double[dl.WeightLo.Length];
            for (int q = 0; q < e.Length; q++) e[q] = Math.Max(-dl.WeightLo[q], dl.WeightHi[q]);
            return e;
        }

        public LayerBounds[]? Outer { get; init; }
        public bool OptimizeOutputs { get; init; } = true;
        public bool OptimizeHiddenDeltas { get; init; } = true;
        public bool StopAtStability { get; init; }

        /// <summary>The optimiser stops at the first iterate below this (a z row that already proves its neuron stable).</summary>
        private double _enough = double.NegativeInfinity;

        public (DeviationBound, double[], LayerBounds[]) Run(CancellationToken ct)
        {
            int depth = _net.Depth;
            var influence = new double[_net.InputSize];
            for (int m = 0; m < depth; m++)
            {
                ct.ThrowIfCancellationRequested();
                var layer = _net.Layers[m];
                PrepareErrorWeights(m);
                if (m <= ReuseThrough && Outer?[m + 1] is { } kept)
                {
                    if (!ReuseLayer(m, kept)) return InfeasibleResult();
                    continue;
                }
                var cur = new LayerBounds(layer.Outputs);
                IntervalStep.PreActivation(layer, _delta.Layers[m], _b[m], cur, _delta.BallRadiusAt(m));
                if (Outer?[m + 1] is { } o) cur.IntersectPreActivations(o);
                bool last = m == depth - 1;
                bool identity = layer.Activation.Operator.IsIdentity;
                int n = layer.Outputs;
                // Plain (not optimised) objectives are bounded in batches first and consumed by the loop below.
                bool optimized = SlopeIterations > 0 && (last ? OptimizeOutputs : m >= depth - 1 - OptimizedHiddenLayers) && m > 0;
                _pre = optimized || _betas is not null ? null : Precompute(m, cur, last, identity);
                for (int i = 0; i < n; i++)
                {
                    bool stable = (cur.ZLo[i] >= 0 && cur.PLo[i] >= 0) || (cur.ZHi[i] <= 0 && cur.PHi[i] <= 0);
                    bool needPre = !identity && (!stable || last);
                    if (!needPre && !last) continue;
                    // Δz_i
                    bool opt = SlopeIterations > 0 && (last || m >= depth - 1 - OptimizedHiddenLayers);
                    bool optD = opt && (last ? OptimizeOutputs : OptimizeHiddenDeltas);
                    double up = Objective(m, i, 0, 1, optD, out var xu);
                    double lo = -Objective(m, i, 0, -1, optD, out var xl);
                    cur.DLo[i] = Math.Max(cur.DLo[i], lo); cur.DHi[i] = Math.Min(cur.DHi[i], up);
                    if (last)
                    {
                        double scale = Math.Max(LayerBounds.Mag(cur.DLo[i], cur.DHi[i]), 1e-300);
                        for (int j = 0; j < influence.Length; j++)
                            influence[j] += (Math.Abs(xu[j]) + Math.Abs(xl[j])) * (_xHi[j] - _xLo[j]) / scale;
                    }
                    if (!needPre) continue;
                    // Optimised z rows may stop once their neuron is proved stable: its planes are then exact whatever the
                    // other bound is, and an inactive neuron's lower bound is not computed at all (the interval one stays).
                    bool stopAtStability = StopAtStability && opt && _pre is null;
                    _enough = stopAtStability ? 0 : double.NegativeInfinity;
                    cur.ZHi[i] = Math.Min(cur.ZHi[i], Objective(m, i, 1, 0, opt, out _));
                    if (!stopAtStability || cur.ZHi[i] > 0) cur.ZLo[i] = Math.Max(cur.ZLo[i], -Objective(m, i, -1, 0, opt, out _));
                    _enough = double.NegativeInfinity;
                    if (ZPrimeRows)
                    {
                        cur.PHi[i] = Math.Min(cur.PHi[i], Objective(m, i, 1, 1, opt, out _));
                        cur.PLo[i] = Math.Max(cur.PLo[i], -Objective(m, i, -1, -1, opt, out _));
                    }
                }
                _pre = null;
                if (!ApplyPhases(m, cur)) return InfeasibleResult();
                for (int i = 0; i < n; i++)
                {
                    // z' ⊆ z + Δz; keep every enclosure ordered (both sides are sound, so they cannot cross in exact arithmetic).
                    cur.PLo[i] = Math.Max(cur.PLo[i], Rounding.AddDown(cur.ZLo[i], cur.DLo[i]));
                    cur.PHi[i] = Math.Min(cur.PHi[i], Rounding.AddUp(cur.ZHi[i], cur.DHi[i]));
                    Order(cur.ZLo, cur.ZHi, i); Order(cur.DLo, cur.DHi, i); Order(cur.PLo, cur.PHi, i);
                }
                IntervalStep.PostActivation(layer.Activation, cur);
                _b[m + 1] = cur;
                if (!last) _planes[m] = BuildPlanes(layer.Activation, cur);
            }
            return (IntervalStep.ToDeviation(_b[depth]), influence, _b);
        }

        private static void Order(double[] lo, double[] hi, int i)
        {
            if (lo[i] > hi[i]) (lo[i], hi[i]) = (hi[i], lo[i]);
        }

        /// <summary>Upper bound of cz·z_i + cd·Δz_i at layer m; x coefficients of the final linear form in <paramref name="xCoef"/>.</summary>
        private double Objective(int m, int i, double cz, double cd, bool optimize, out double[] xCoef)
        {
            if (_pre is { } pre) return pre.Take(i, cz, cd, _net.InputSize, out xCoef);
            if (optimize && m > 0) return OptimizedBound(m, () => SetObjective(m, i, cz, cd), SlopeIterations, out xCoef, _enough);
            SetObjective(m, i, cz, cd);
            double v = Backward(m);
            xCoef = _xc.AsSpan(0, _net.InputSize).ToArray();
            return v;
        }

        private void SetObjective(int m, int i, double cz, double cd)
        {
            int n = _net.Layers[m].Outputs;
            Array.Clear(_c, 0, n); Array.Clear(_d, 0, n);
            _c[i] = cz; _d[i] = cd;
        }

        /// <summary>Upper bound of Σ c·z_m + d·Δz_m (coefficients in _c, _d), carried down to the input box.</summary>
        /// <remarks>With a <paramref name="trace"/>, the coefficients entering every step are saved for the
        /// gradient pass of the slope optimiser.</remarks>
        private double Backward(int m, Trace? trace = null)
        {
            double cst = 0;
            for (int k = m; ; k--)
            {
                trace?.Save(trace.AffineC[k], trace.AffineD[k], _c, _d);
                cst = Rounding.AddUp(cst, AffineStep(k));
                if (k == 0) break;
                trace?.Save(trace.ActA[k - 1], trace.ActB[k - 1], _c, _d);
                cst = Rounding.AddUp(cst, ActivationStep(k - 1));
                if (_betas is not null) cst = Rounding.AddUp(cst, _betas.AddTo(k - 1, _c, _d, _b[k]));
            }
            // Concretise Σ xc_j x_j over the box.
            int d0 = _net.InputSize;
            for (int j = 0; j < d0; j++)
            {
                double a = _xc[j];
                if (a == 0) continue;
                if (double.IsNaN(a)) { cst = double.PositiveInfinity; break; } // a coefficient lost to ∞ − ∞ or ∞·0 near overflow: no bound
                cst = Rounding.AddUp(cst, a > 0 ? Rounding.MulUp(a, _xHi[j]) : Rounding.MulUp(a, _xLo[j]));
            }
            return cst;
        }

        /// <summary>
        /// From (c, d) on (z_k, Δz_k) to (c, d) on (h_{k−1}, Δh_{k−1}) — or to x coefficients in _xc when k = 0 —
        /// returning the constant (bias terms, chord intercepts, rounding-error allowance), rounded upward.
        /// </summary>
        private double AffineStep(int k)
        {
            AffineStepRows(k, new Rows(_c, _d, _xc, 1, 0, 0), _one);
            return _one[0];
        }

        /// <summary>
        /// <see cref="AffineStep"/> for every objective of <paramref name="rows"/>: row r's step constant into
        /// <paramref name="step"/>[r]. Each row gets exactly the operations of a single pass, in the same order (so
        /// the same bits); the rows' directed sums are independent chains interleaved by the loop over r, which the
        /// processor overlaps, and the layer's parameters are read once for all of them.
        /// </summary>
        private void AffineStepRows(int k, Rows rows, Span<double> step)
        {
            var L = _net.Layers[k];
            var dl = _delta.Layers[k];
            int nOut = L.Outputs, nIn = L.Inputs, R = rows.Count;
            var w = L.Weights;
            var errC = _errC[k]!; var errD = _errD[k]!;
            var prev = _b[k];
            bool signKnown = _hPrimeNonNegative[k];
            double? ballRadius = _delta.BallRadiusAt(k);
            bool ball = ballRadius is not null;
            var err = _rowErr.AsSpan(0, R); var errPossible = _rowErrPossible.AsSpan(0, R); var anyD = _rowAnyD.AsSpan(0, R);
            step = step[..R];
            step.Clear(); err.Clear(); errPossible.Clear(); anyD.Clear();
            var C = rows.C; var D = rows.D;
            // The bias constants Σ c_i b_i + Σ d_i·(d_i > 0 ? δb_hi : δb_lo) are summed in round-to-nearest with the sum
            // of their magnitudes beside (into bias), then corrected outward once per row below (DotErrorBound's
            // model with 2·nOut products) instead of one directed product and sum per term.
            var bias = _rowBiasAbs.AsSpan(0, R); bias.Clear();
            // A product can be inexact (or underflow to 0) only when both factors are non-zero: rows without one stay exact.
            var biasInexact = _rowBiasInexact.AsSpan(0, R); biasInexact.Clear();
            for (int r = 0; r < R; r++)
            {
                int o = rows.Offset + r * rows.Stride;
                var t = BiasTerms(C.AsSpan(o, nOut), D.AsSpan(o, nOut), L.Bias, dl.BiasLo, dl.BiasHi, errC, errD);
                step[r] = t.Sum; bias[r] = t.Abs; biasInexact[r] = t.Inexact;
                err[r] = t.Err; errPossible[r] = t.ErrPossible; anyD[r] = t.AnyD;
            }
            for (int r = 0; r < R; r++)
            {
                if (!double.IsFinite(step[r]) || !double.IsFinite(bias[r]) || !double.IsFinite(err[r])) step[r] = double.PositiveInfinity; // overflow: no bound
                else if (biasInexact[r]) step[r] = DotErrorBound.Upper(step[r], bias[r], 2 * nOut);
            }
            var ch = _ch.AsSpan(0, nIn); var cd = _cd.AsSpan(0, nIn); var pos = _pos.AsSpan(0, nIn); var neg = _neg.AsSpan(0, nIn);
            var nz = _rows.AsSpan(0, nOut);
            double gamma = DotErrorBound.Gamma(nOut + 1);
            for (int r = 0; r < R; r++)
            {
                int o = rows.Offset + r * rows.Stride;
                var c = C.AsSpan(o, nOut); var d = D.AsSpan(o, nOut);
                double cst = step[r];
                // The coefficient sums, bit-identical to one y += a·x per non-zero row (see TransposedProducts); each
                // output is written in full, or cleared when it is not computed.
                if (k > 0 && !ball && signKnown && anyD[r])
                {
                    // The common case (a hidden layer's input, h' ≥ 0, a box of δ): the three sums in one sweep.
                    int nb = TransposedProducts.NonZeroRows(c, d, nz);
                    TransposedProducts.CombineBoth(c, d, nz[..nb], w, dl.WeightHi, dl.WeightLo, nIn, ch, cd, pos);
                    neg.Clear();
                }
                else
                {
                    int nc = TransposedProducts.NonZeroRows(c, nz);
                    TransposedProducts.Combine(c, nz[..nc], w, nIn, ch);
                    int nd = TransposedProducts.NonZeroRows(d, nz);
                    if (nd > 0 && k > 0) TransposedProducts.Combine(d, nz[..nd], w, nIn, cd);
                    else cd.Clear();
                    if (nd > 0 && !ball) TransposedProducts.Corners(d, nz[..nd], dl.WeightHi, dl.WeightLo, nIn, pos, neg, withNeg: !signKnown);
                    else pos.Clear();
                    if (!(nd > 0 && !ball && !signKnown)) neg.Clear();
                }
                if (ball && anyD[r])
                {
                    // sup over the ball of dᵀ δW h′ = r‖d‖₂‖h′‖₂, bounded linearly in h′ (coefficients into pos).
                    double Rb = BallBilinearTerm.Multiplier(ballRadius!.Value, d);
                    if (BallNorm == BallNormBound.Linear)
                        cst = Rounding.AddUp(cst, BallBilinearTerm.LinearUpper(Rb, prev.HPLo, prev.HPHi, pos));
                    else
                        cst = Rounding.AddUp(cst, Rounding.MulUp(Rb, EuclideanNorm.MaxOverBox(prev.HPLo, prev.HPHi)));
                }
                var xc = k == 0 ? rows.X.AsSpan(r * rows.XStride, nIn) : default;
                var cOut = k == 0 ? default : C.AsSpan(o, nIn); var dOut = k == 0 ? default : D.AsSpan(o, nIn);
                int j0 = 0;
                if (k > 0 && !ball && (signKnown || !anyD[r]))
                {
                    // h' ≥ 0 (or no Δ coefficient): the bilinear term's coefficient is pos[j] (or 0), no chord.
                    j0 = AddCoefficients(ch, cd, anyD[r] ? (ReadOnlySpan<double>)pos : default, cOut, dOut);
                }
                for (int j = j0; j < nIn; j++)
                {
                    double s = 0;
                    if (ball) s = pos[j];
                    else if (anyD[r])
                    {
                        double pl = prev.HPLo[j], pu = prev.HPHi[j];
                        if (pl >= 0) s = pos[j];
                        else if (pu <= 0) s = neg[j];
                        else
                        {
                            var g = new Kink(pos[j], neg[j]);
                            s = g.ChordSlope(pl, pu);
                            cst = Rounding.AddUp(cst, g.UpperIntercept(s, pl, pu));
                        }
                    }
                    if (k == 0) xc[j] = ch[j] + s;
                    else { cOut[j] = ch[j] + s; dOut[j] = cd[j] + s; }
                }
                // A non-finite error sum (an overflowed coefficient, or ∞·0 in it) leaves no bound.
                step[r] = !errPossible[r] ? cst
                    : double.IsFinite(err[r]) ? Rounding.AddUp(cst, Rounding.AddUp(Rounding.MulUp(gamma, err[r]), DotErrorBound.Underflow))
                    : double.PositiveInfinity;
            }
        }

        /// <summary>c_out = ch + s and d_out = cd + s over the SIMD-wide prefix (s = 0 when empty); returns where the
        /// caller's per-element loop continues. The same additions as that loop.</summary>
        private static int AddCoefficients(ReadOnlySpan<double> ch, ReadOnlySpan<double> cd, ReadOnlySpan<double> s, Span<double> cOut, Span<double> dOut)
        {
            int n = ch.Length, w = Vector<double>.Count, j = 0;
            if (!Vector.IsHardwareAccelerated) return 0;
            for (; j + w <= n; j += w)
            {
                var sv = s.IsEmpty ? Vector<double>.Zero : new Vector<double>(s.Slice(j, w));
                var c = new Vector<double>(ch.Slice(j, w)) + sv; var d = new Vector<double>(cd.Slice(j, w)) + sv;
                c.CopyTo(cOut.Slice(j, w)); d.CopyTo(dOut.Slice(j, w));
            }
            return j;
        }

        /// <summary>One objective's affine-step constants: the bias terms Σ c_i b_i + Σ d_i·(d_i &gt; 0 ? δb_hi : δb_lo)
        /// with the sum of their magnitudes (corrected by the caller), the coefficients' rounding-error sum
        /// Σ |c_i| errC_i + |d_i| errD_i, and whether any d_i ≠ 0. A product can be inexact (or underflow to 0) only
        /// when both factors are non-zero; zero coefficients add exact zeros.</summary>
        private readonly record struct BiasTermsResult(double Sum, double Abs, bool Inexact, double Err, bool ErrPossible, bool AnyD);

        private static BiasTermsResult BiasTerms(ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<double> b,
                                                 double[] bLo, double[] bHi, double[] errC, double[] errD)
        {
            int n = c.Length, w = Vector<double>.Count, i = 0;
            double sum = 0, abs = 0, err = 0;
            bool inexact = false, errPossible = false, anyD = false;
            if (Vector.IsHardwareAccelerated)
            {
                var zero = Vector<double>.Zero;
                var sumV = zero; var absV = zero; var errV = zero;
                var inexactM = Vector<long>.Zero; var errM = inexactM; var anyDM = inexactM;
                for (; i + w <= n; i += w)
                {
                    var cv = new Vector<double>(c.Slice(i, w)); var dv = new Vector<double>(d.Slice(i, w));
                    var cNz = ~Vector.Equals(cv, zero); var dNz = ~Vector.Equals(dv, zero);
                    var bi = new Vector<double>(b.Slice(i, w));
                    var bd = Vector.ConditionalSelect(Vector.GreaterThan(dv, zero), new Vector<double>(bHi.AsSpan(i, w)), new Vector<double>(bLo.AsSpan(i, w)));
                    var t1 = Vector.ConditionalSelect(cNz, cv * bi, zero); var t2 = Vector.ConditionalSelect(dNz, dv * bd, zero);
                    sumV += t1 + t2; absV += Vector.Abs(t1) + Vector.Abs(t2);
                    inexactM |= (cNz & ~Vector.Equals(bi, zero)) | (dNz & ~Vector.Equals(bd, zero));
                    var ec = new Vector<double>(errC.AsSpan(i, w)); var ed = new Vector<double>(errD.AsSpan(i, w));
                    errV += Vector.ConditionalSelect(cNz, Vector.Abs(cv) * ec, zero) + Vector.ConditionalSelect(dNz, Vector.Abs(dv) * ed, zero);
                    errM |= (cNz & ~Vector.Equals(ec, zero)) | (dNz & ~Vector.Equals(ed, zero));
                    anyDM |= dNz;
                }
                sum = Vector.Sum(sumV); abs = Vector.Sum(absV); err = Vector.Sum(errV);
                inexact = inexactM != Vector<long>.Zero; errPossible = errM != Vector<long>.Zero; anyD = anyDM != Vector<long>.Zero;
            }
            for (; i < n; i++)
            {
                double ci = c[i], di = d[i];
                if (ci != 0)
                {
                    double t = ci * b[i];
                    sum += t; abs += Math.Abs(t);
                    if (b[i] != 0) inexact = true;
                    err += Math.Abs(ci) * errC[i];
                    if (errC[i] != 0) errPossible = true;
                }
                if (di != 0)
                {
                    anyD = true;
                    double bd = di > 0 ? bHi[i] : bLo[i], t = di * bd;
                    sum += t; abs += Math.Abs(t);
                    if (bd != 0) inexact = true;
                    err += Math.Abs(di) * errD[i];
                    if (errD[i] != 0) errPossible = true;
                }
            }
            return new BiasTermsResult(sum, abs, inexact, err, errPossible, anyD);
        }

        private readonly bool[] _hPrimeNonNegative;

        /// <summary>
        /// Rounding-error weights of layer k's affine step, fixed once the enclosures of its inputs are: the exact error
        /// of the new coefficients is at most γ·Σ_i (|c_i| errC_i + |d_i| errD_i) with errC_i = Σ_j |W_ij| mag(h_j) and
        /// errD_i = Σ_j |W_ij| mag(Δh_j) + |δW_ij|max (mag(h_j) + mag(Δh_j)) (the δW part bounds the error of pos/neg,
        /// the coefficients of h' = h + Δh). Computed with upward rounding; at k = 0, h = h' = x and Δh = 0.
        /// </summary>
        private void PrepareErrorWeights(int k)
        {
            var L = _net.Layers[k];
            var prev = _b[k];
            int nIn = L.Inputs;
            var magH = new double[nIn]; var magD = new double[nIn]; var magP = new double[nIn];
            bool nonNeg = true;
            for (int j = 0; j < nIn; j++)
            {
                magH[j] = LayerBounds.Mag(prev.HLo[j], prev.HHi[j]);
                magD[j] = k == 0 ? 0 : LayerBounds.Mag(prev.DHLo[j], prev.DHHi[j]);
                magP[j] = Rounding.AddUp(magH[j], magD[j]);
                if (prev.HPLo[j] < 0) nonNeg = false;
            }
            _hPrimeNonNegative[k] = nonNeg;
            var ec = new double[L.Outputs]; var ed = new double[L.Outputs];
            var me = _maxDelta[k];
            bool finite = magP.All(double.IsFinite) && magH.All(double.IsFinite) && magD.All(double.IsFinite);
            for (int i = 0; i < L.Outputs; i++)
            {
                var row = L.Row(i);
                if (finite)
                {
                    // Round-to-nearest sums with one outward correction each (finite inputs: no 0·∞).
                    (ec[i], ed[i]) = NonNegativeSums.UpperPair(row, magH, magD, me.AsSpan(i * nIn, nIn), magP);
                    continue;
                }
                double a = 0, b = 0;
                for (int j = 0; j < nIn; j++)
                {
                    double aw = Math.Abs(row[j]);
                    a = Rounding.AddUp(a, Rounding.MulUp(aw, magH[j]));
                    b = Rounding.AddUp(b, Rounding.AddUp(Rounding.MulUp(aw, magD[j]), Rounding.MulUp(me[i * nIn + j], magP[j])));
                }
                ec[i] = a; ed[i] = b;
            }
            _errC[k] = ec; _errD[k] = ed;
        }

    }
}
