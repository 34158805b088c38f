using System.Runtime.Intrinsics;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Bounds;

/// <summary>
/// `--optimize-slopes`: α-CROWN-style optimisation of the free slopes of the relaxations, separately for every optimised
/// bound (every output bound; optionally the pre-activation bounds of the last hidden layers too). The free parameters
/// of an unstable neuron (l &lt; 0 &lt; u) of a hidden layer, each in [min(P, N), max(P, N)] (ReLU: [0, 1]), are
/// <list type="bullet">
/// <item>α: the slope of the lower plane of h = σ(z) (CROWN's adaptive 0/1 choice is the start);</item>
/// <item>β: the slope of the lower plane of σ(z) inside the upper Δh plane "upper(σ(z')) − lower(σ(z))", when the
/// plane choice picked that family;</item>
/// <item>β′: the slope of the lower plane of σ(z') inside the lower Δh plane "lower(σ(z')) − upper(σ(z))", likewise.</item>
/// </list>
/// GRADIENT. The backward bound is the support function of the relaxed joint network, so its gradient with respect to
/// the coefficient vector entering a step is the primal point of the relaxation: the input vertex selected by the signs
/// of the final x coefficients, carried forward through the same affine maps, the same δW/δb vertices (selected by the
/// signs of the Δz coefficients; the chord of the bilinear term at the first layer by its interpolation weights) and
/// the same planes. The derivative of the bound by a slope is then (coefficient of the variable) × (primal value of the
/// pre-activation it multiplies); e.g. ∂/∂α_j = a_j·z*_j when a_j &lt; 0 selects the lower plane. This is a
/// hand-written reverse pass, one forward sweep per iteration, costing about as much as a backward pass. Steps are
/// projected Adam (learning rate 0.1, decaying by 0.98 per step).
/// SOUNDNESS does not depend on the optimiser: every iterate's planes get their intercepts recomputed rigorously
/// (<see cref="Kink"/>, the same code as the plain planes) and its bound is computed by the unchanged rigorous backward
/// pass (outward rounding, γ-error terms). The first iterate is the plain bound (or, warm-started, the slopes and β a
/// containing domain reached, projected into this domain's ranges; its callers then take the max with the plain bound),
/// and the smallest iterate is reported, so an optimised bound is never above the plain one. Intermediate bounds of layers not selected by
/// <see cref="LinearDifferenceBounder.OptimizedHiddenLayers"/> stay the plain ones.
/// </summary>
public sealed partial class LinearDifferenceBounder
{
    private const double LearningRate = 0.1, LearningRateDecay = 0.98, AdamBeta1 = 0.9, AdamBeta2 = 0.999;

    /// <summary>The coefficients entering every step of one backward pass (the adjoint sweep needs their signs).</summary>
    private sealed class Trace
    {
        public readonly double[][] AffineC, AffineD, ActA, ActB;

        public Trace(Network net, int m)
        {
            AffineC = new double[m + 1][]; AffineD = new double[m + 1][]; ActA = new double[m][]; ActB = new double[m][];
            for (int k = 0; k <= m; k++)
            {
                int n = net.Layers[k].Outputs;
                AffineC[k] = new double[n]; AffineD[k] = new double[n];
                if (k < m) { ActA[k] = new double[n]; ActB[k] = new double[n]; }
            }
        }

        public void Save(double[] toC, double[] toD, double[] c, double[] d)
        {
            Array.Copy(c, toC, toC.Length);
            Array.Copy(d, toD, toD.Length);
        }
    }

    /// <summary>Free slopes of one hidden layer: entry 3j is α_j, 3j+1 is β_j, 3j+2 is β′_j; Adam state alongside.</summary>
    private sealed class LayerSlopes
    {
        public readonly double[] Value, Grad, M, V;
        public readonly bool[] Free;
        public readonly double Lo, Hi;
        public readonly Kink G;

        private LayerSlopes(int n, Kink g)
        {
            Value = new double[3 * n]; Grad = new double[3 * n]; M = new double[3 * n]; V = new double[3 * n];
            Free = new bool[3 * n];
            G = g; Lo = Math.Min(g.P, g.N); Hi = Math.Max(g.P, g.N);
        }

        /// <summary>The free slopes of <paramref name="p"/> with fresh Adam state, or null when the layer has none;
        /// written into <paramref name="cache"/> (made when missing), which one pass reuses for all its optimised bounds.</summary>
        public static LayerSlopes? Of(Planes p, LayerBounds b, Activation act, ref LayerSlopes? cache)
        {
            if (act.Operator.IsIdentity) return null;
            var s = cache is { } c && c.Free.Length == 3 * b.Count ? c : cache = new LayerSlopes(b.Count, act.Operator.Kink);
            Array.Clear(s.Grad); Array.Clear(s.M); Array.Clear(s.V);
            bool any = false;
            for (int j = 0; j < b.Count; j++)
            {
                bool zUnstable = b.ZLo[j] < 0 && b.ZHi[j] > 0, pUnstable = b.PLo[j] < 0 && b.PHi[j] > 0;
                s.Free[3 * j] = zUnstable; s.Value[3 * j] = p.HLa[j];
                s.Free[3 * j + 1] = zUnstable && p.UDiff[j]; s.Value[3 * j + 1] = -p.UZ[j];
                s.Free[3 * j + 2] = pUnstable && p.LDiff[j]; s.Value[3 * j + 2] = p.LP[j];
                any |= zUnstable || s.Free[3 * j + 2];
            }
            return any ? s : null;
        }

        /// <summary>One projected Adam step against the gradient (we minimise the bound).</summary>
        public void Step(int t, double lr)
        {
            double c1 = 1 - Math.Pow(AdamBeta1, t), c2 = 1 - Math.Pow(AdamBeta2, t);
            for (int q = 0; q < Value.Length; q++)
            {
                if (!Free[q]) continue;
                double g = Grad[q];
                M[q] = AdamBeta1 * M[q] + (1 - AdamBeta1) * g;
                V[q] = AdamBeta2 * V[q] + (1 - AdamBeta2) * g * g;
                double v = V[q] / c2;
                if (!(v > 0)) continue;
                double next = Value[q] - lr * (M[q] / c1) / Math.Sqrt(v);
                Value[q] = double.IsFinite(next) ? Math.Clamp(next, Lo, Hi) : Value[q];
            }
        }

        /// <summary>Writes the slopes into the planes with intercepts recomputed rigorously, exactly as
        /// BuildPlanes computes them for its candidate slopes.</summary>
        public void Apply(Planes p, LayerBounds b)
        {
            for (int j = 0; j < b.Count; j++)
            {
                double l = b.ZLo[j], u = b.ZHi[j], lp = b.PLo[j], up = b.PHi[j];
                if (Free[3 * j])
                {
                    double a = Value[3 * j];
                    p.HLa[j] = a; p.HLt[j] = G.LowerIntercept(a, l, u);
                }
                if (Free[3 * j + 1])
                {
                    double beta = Value[3 * j + 1];
                    double tpU = G.UpperIntercept(p.UP[j], lp, up);
                    p.UZ[j] = -beta; p.UT[j] = Rounding.AddUp(tpU, -G.LowerIntercept(beta, l, u));
                }
                if (Free[3 * j + 2])
                {
                    double beta = Value[3 * j + 2];
                    p.LP[j] = beta; p.LT[j] = Rounding.AddDown(G.LowerIntercept(beta, lp, up), -p.HUt[j]);
                }
            }
        }
    }

    /// <summary>One objective's optimised slopes (per hidden layer, NaN where not free) and β (by split: layer, neuron,
    /// perturbed): where the optimiser of a domain inside the one that reached them starts for the same objective.</summary>
    public sealed class SlopeStart
    {
        internal double[]?[] Slopes { get; init; } = [];
        internal IReadOnlyDictionary<(int Layer, int Neuron, bool Perturbed), double> Betas { get; init; } =
            new Dictionary<(int, int, bool), double>();
    }

    private static SlopeStart StartOf(LayerSlopes?[] slopes, PhaseBetas? betas) => new()
    {
        Slopes = slopes.Select(s => s?.Value.Select((v, q) => s.Free[q] ? v : double.NaN).ToArray()).ToArray(),
        Betas = betas?.Values() ?? new Dictionary<(int, int, bool), double>(),
    };

    private sealed partial class JointPass
    {
        /// <summary>The reverse sweep's vectors (h*, Δh*, the next layer's, pos/neg weights, z*, Δz*, a ball's h′), allocated once.</summary>
        private double[][]? _primal;

        private Planes?[]? _planeCopies;
        private LayerSlopes?[]? _slopeCache;
        private Trace?[]? _traces;
        private bool[]?[]? _skip;

        /// <summary>
        /// The smallest rigorous upper bound, over the optimiser's iterates (the first is the plain bound), of the
        /// objective on layer m that <paramref name="setObjective"/> writes into _c and _d (cz·z_i + cd·Δz_i, or a class
        /// margin's vector objective), with <paramref name="iterations"/> Adam steps; <paramref name="xCoef"/> from the
        /// plain iterate.
        /// </summary>
        /// <remarks>With <paramref name="enoughBelow"/> the optimiser stops at the first iterate whose bound is below
        /// it (a margin already proved positive gains nothing from more steps).</remarks>
        private double OptimizedBound(int m, Action setObjective, int iterations, out double[] xCoef, double enoughBelow = double.NegativeInfinity) =>
            OptimizedBound(m, setObjective, iterations, out xCoef, enoughBelow, null, false, out _);

        /// <summary>
        /// As above, the optimiser starting from <paramref name="start"/> when given (a containing domain's best slopes
        /// and β for the same objective; each projected into this domain's valid set) instead of the plain slopes and
        /// β = 0, and with <paramref name="record"/> returning the best iterate's slopes and β in <paramref name="reached"/>.
        /// The start changes only where the search begins: every iterate is still bounded rigorously.
        /// </summary>
        private double OptimizedBound(int m, Action setObjective, int iterations, out double[] xCoef, double enoughBelow,
            SlopeStart? start, bool record, out SlopeStart? reached)
        {
            reached = null;
            // The optimiser's working copies of the planes, its slopes and its trace are the pass's, reused by every
            // optimised bound (only layers below m are read or written here).
            var copies = _planeCopies ??= new Planes?[_net.Depth];
            var cache = _slopeCache ??= new LayerSlopes?[_net.Depth];
            var slopes = new LayerSlopes?[m];
            bool any = false;
            for (int k = 0; k < m; k++)
            {
                copies[k] = _planes[k]!.CopyInto(copies[k]);
                slopes[k] = LayerSlopes.Of(copies[k]!, _b[k + 1], _net.Layers[k].Activation, ref cache[k]);
                any |= slopes[k] is not null;
            }
            _betas = PhaseBetas.For(Phases, m);
            any |= _betas is not null;
            if (start is not null) StartFrom(start, m, copies, slopes);
            MarkSkipped(m, copies, slopes);
            var trace = (_traces ??= new Trace?[_net.Depth])[m] ??= new Trace(_net, m);
            double best = double.PositiveInfinity;
            double[]? plainX = null;
            _active = copies;
            try
            {
                double lr = LearningRate;
                for (int it = 0; ; it++)
                {
                    setObjective();
                    double v = Backward(m, trace);
                    if (it == 0) plainX = _xc.AsSpan(0, _net.InputSize).ToArray();
                    if (record && v < best) reached = StartOf(slopes, _betas);
                    best = Math.Min(best, v);
                    if (!any || it >= iterations || best < enoughBelow) break;
                    Gradient(m, trace, slopes);
                    for (int k = 0; k < m; k++)
                    {
                        if (slopes[k] is not { } s) continue;
                        s.Step(it + 1, lr);
                        s.Apply(copies[k]!, _b[k + 1]);
                    }
                    _betas?.Step(it + 1, lr, trace.AffineC);
                    lr *= LearningRateDecay;
                }
            }
            finally { _active = _planes; _betas = null; }
            // The x coefficients (the branching heuristic of `auto`) are those of the plain relaxation: the optimised
            // slopes reshape them (measured on ACAS Xu N1_1: the influence of x₁ drops 7×) and splitting on them made
            // `auto` stall far above the plain heuristic at the same number of bisections.
            xCoef = plainX!;
            return best;
        }

        /// <summary>
        /// Marks the neurons of layers below m that the reverse sweep skips: planes all 0 (a ReLU off in both copies) and
        /// no free slope, so they pass 0 on whatever z* and Δz* are and steer nothing. Fixed for the whole optimisation:
        /// the steps only move free slopes. Not with β multipliers, whose gradients read every z*.
        /// </summary>
        private void MarkSkipped(int m, Planes?[] copies, LayerSlopes?[] slopes)
        {
            var skip = _skip ??= new bool[_net.Depth][];
            for (int k = 0; k < m; k++)
            {
                int n = _net.Layers[k].Outputs;
                var mask = skip[k] ??= new bool[n];
                var p = copies[k]!; var s = slopes[k];
                for (int i = 0; i < n; i++)
                    mask[i] = _betas is null && (s is null || !(s.Free[3 * i] || s.Free[3 * i + 1] || s.Free[3 * i + 2])) && p.IsZero(i);
            }
        }

        /// <summary>Writes <paramref name="start"/>'s slopes into this domain's free slopes, clamped to their range
        /// (a neuron fixed or stabilised here keeps its exact planes), and its β into the multipliers of the splits it
        /// had (≥ 0; a new split starts at 0).</summary>
        private void StartFrom(SlopeStart start, int m, Planes?[] copies, LayerSlopes?[] slopes)
        {
            for (int k = 0; k < m; k++)
            {
                if (slopes[k] is not { } s || k >= start.Slopes.Length || start.Slopes[k] is not { } w || w.Length != s.Value.Length) continue;
                for (int q = 0; q < w.Length; q++)
                    if (s.Free[q] && !double.IsNaN(w[q])) s.Value[q] = Math.Clamp(w[q], s.Lo, s.Hi);
                s.Apply(copies[k]!, _b[k + 1]);
            }
            _betas?.StartFrom(start.Betas);
        }

        /// <summary>
        /// The reverse sweep: primal values (z*, Δz*) of every layer below m at the relaxation's maximiser, from the
        /// input vertex upward, and from them the derivative of the bound by every free slope (into Grad).
        /// </summary>
        private void Gradient(int m, Trace t, LayerSlopes?[] slopes)
        {
            int d0 = _net.InputSize;
            // The sweep's vectors live in buffers of the widest layer, reused by every layer and iteration: allocating
            // them per layer was most of a refined `equiv` part's garbage (≈ 100 KB per optimised bound on ACAS Xu).
            var buf = _primal ??= Enumerable.Range(0, 9).Select(_ => new double[_c.Length]).ToArray();
            var h = buf[0]; var dh = buf[1]; var hNext = buf[2]; var dhNext = buf[3];
            var wpos = buf[4]; var wneg = buf[5]; var z = buf[6]; var dz = buf[7];
            Array.Clear(dh, 0, d0);
            for (int j = 0; j < d0; j++)
                h[j] = _xc[j] > 0 ? _xHi[j] : _xc[j] < 0 ? _xLo[j] : 0.5 * (_xLo[j] + _xHi[j]);
            for (int k = 0; k < m; k++)
            {
                var L = _net.Layers[k];
                var dl = _delta.Layers[k];
                var prev = _b[k];
                int nIn = L.Inputs, nOut = L.Outputs;
                // Weights of pos_j and neg_j (the coefficients of the bilinear term's two pieces) at the primal h'.
                Array.Clear(wpos, 0, nIn); Array.Clear(wneg, 0, nIn);
                for (int j = 0; j < nIn; j++)
                {
                    double hp = h[j] + dh[j], pl = prev.HPLo[j], pu = prev.HPHi[j];
                    if (pl >= 0) wpos[j] = hp;
                    else if (pu <= 0) wneg[j] = hp;
                    else
                    {
                        double r = (hp - pl) / (pu - pl);
                        wpos[j] = pu * r; wneg[j] = pl * (1 - r);
                    }
                }
                // A skipped neuron's z* and Δz* stay 0, as they were in fresh vectors.
                Array.Clear(z, 0, nOut); Array.Clear(dz, 0, nOut);
                ReadOnlySpan<double> hs = h.AsSpan(0, nIn), dhs = dh.AsSpan(0, nIn), wp = wpos.AsSpan(0, nIn), wn = wneg.AsSpan(0, nIn);
                var D = t.AffineD[k];
                var p = _active[k]!;
                var s = slopes[k];
                // A norm ball's maximiser is the rank-one δW = r·D h′ᵀ/(‖D‖‖h′‖): row i adds r·D_i‖h′‖/‖D‖.
                double? ballRadius = _delta.BallRadiusAt(k);
                double ballScale = 0;
                if (ballRadius is { } rb)
                {
                    double dn = Math.Sqrt(Dot(D.AsSpan(0, nOut), D.AsSpan(0, nOut)));
                    var hp = buf[8].AsSpan(0, nIn);   // h′ = h + Δh
                    for (int j = 0; j < nIn; j++) hp[j] = h[j] + dh[j];
                    if (dn > 0) ballScale = rb * Math.Sqrt(Dot(hp, hp)) / dn;
                }
                var skipped = _skip![k]!;
                for (int i = 0; i < nOut; i++)
                {
                    if (skipped[i]) continue;   // see MarkSkipped
                    if (ballRadius is not null)
                    {
                        z[i] = L.B(i) + Dot(L.Row(i), hs);
                        dz[i] = (k > 0 ? Dot(L.Row(i), dhs) : 0) + ballScale * D[i];
                        continue;
                    }
                    var row = L.Row(i);
                    var hiRow = dl.WeightHi.AsSpan(i * nIn, nIn); var loRow = dl.WeightLo.AsSpan(i * nIn, nIn);
                    bool up = D[i] >= 0;
                    var (rh, rdh, bilinear) = PrimalSums(row, hs, dhs, up ? hiRow : loRow, wp, up ? loRow : hiRow, wn);
                    z[i] = L.B(i) + rh;
                    dz[i] = (up ? dl.BiasHi[i] : dl.BiasLo[i]) + rdh + bilinear;
                }
                _betas?.Gradient(k, z, dz);
                var A = t.ActA[k]; var B = t.ActB[k];
                if (s is not null) Array.Clear(s.Grad);
                for (int j = 0; j < nOut; j++)
                {
                    double a = A[j], b = B[j], zj = z[j], dzj = dz[j], pj = zj + dzj;
                    if (s is not null)
                    {
                        if (a < 0) s.Grad[3 * j] = a * zj;
                        if (b > 0) s.Grad[3 * j + 1] = -b * zj;
                        if (b < 0) s.Grad[3 * j + 2] = b * pj;
                    }
                    hNext[j] = a >= 0 ? p.HUa[j] * zj + p.HUt[j] : p.HLa[j] * zj + p.HLt[j];
                    dhNext[j] = b >= 0 ? p.UZ[j] * zj + p.UD[j] * dzj + p.UP[j] * pj + p.UT[j]
                                       : p.LZ[j] * zj + p.LD[j] * dzj + p.LP[j] * pj + p.LT[j];
                }
                (h, hNext) = (hNext, h); (dh, dhNext) = (dhNext, dh);
            }
        }

        // The primal sweep only steers the optimiser (every iterate's bound is recomputed rigorously), so any
        // summation order will do: the library's SIMD dot product.
        private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

        /// <summary>row·h, row·dh and p·u + q·v: in one 512-bit sweep where the processor has it (rows of ACAS-sized
        /// layers are too short for four separate library calls to pay), else as four library dot products.</summary>
        private static (double RowH, double RowDh, double Bilinear) PrimalSums(ReadOnlySpan<double> row, ReadOnlySpan<double> h,
            ReadOnlySpan<double> dh, ReadOnlySpan<double> p, ReadOnlySpan<double> u, ReadOnlySpan<double> q, ReadOnlySpan<double> v)
        {
            int n = row.Length, w = Vector512<double>.Count, j = 0;
            if (!Vector512.IsHardwareAccelerated || n < w) return (Dot(row, h), Dot(row, dh), Dot(p, u) + Dot(q, v));
            var va = Vector512<double>.Zero; var vb = va; var vc = va;
            for (; j <= n - w; j += w)
            {
                var r = Vector512.Create(row[j..]);
                va += r * Vector512.Create(h[j..]);
                vb += r * Vector512.Create(dh[j..]);
                vc += Vector512.Create(p[j..]) * Vector512.Create(u[j..]) + Vector512.Create(q[j..]) * Vector512.Create(v[j..]);
            }
            double a = Vector512.Sum(va), b = Vector512.Sum(vb), c = Vector512.Sum(vc);
            for (; j < n; j++)
            {
                a += row[j] * h[j]; b += row[j] * dh[j]; c += p[j] * u[j] + q[j] * v[j];
            }
            return (a, b, c);
        }
    }
}
