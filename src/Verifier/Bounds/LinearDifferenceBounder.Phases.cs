using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

/// <summary>
/// Phase domains (docs/phases.md): the box with some NOMINAL pre-activations fixed to z ≥ 0 or z ≤ 0. A fixed phase
/// enters the joint pass twice: (1) its enclosure is intersected with [0, ∞) or (−∞, 0], so its relaxations become the
/// stable ones; (2) in every optimised backward pass from a layer above it, the term β·s·z (s = +1 for z ≥ 0, −1 for
/// z ≤ 0, β ≥ 0) is added to the coefficients of z at its layer. On the domain s·z ≥ 0, so the new objective is at
/// least the old one there: the bound stays an upper bound for every β ≥ 0 (Lagrangian relaxation of the split
/// constraints, β-CROWN). β is optimised by projected Adam with the α slopes (its derivative is s·z* at the
/// relaxation's maximiser); β = 0 is the first iterate, so the bound is never above the one without β.
/// FLOATING POINT: c ← fl(c + β·s) is the exact addition of β′·s with β′ = (fl(c + β·s) − c)·s ≥ 0 (rounding is
/// monotone), so the rounded coefficients are still a valid Lagrangian term: no error allowance is needed.
/// INFEASIBLE DOMAINS are reported, never bounded: when a recomputed enclosure of any variable is empty (lower bound
/// above upper bound — both rigorous, so no point of the domain exists), e.g. a fixed-active neuron whose upper bound
/// is negative, or an output whose two β-bounds cross.
/// </summary>
public sealed partial class LinearDifferenceBounder
{
    /// <summary>One phase domain bounded: infeasible (proved empty), or its bound, every layer's enclosures (for the
    /// children: they hold on any subdomain) and the branching choice (null when no nominal pre-activation is
    /// unstable).</summary>
    internal sealed record PhaseDomainBound(bool Infeasible, DeviationBound? Bound, LayerBounds[]? Enclosures, PhaseChoice? Branch)
    {
        public static PhaseDomainBound Empty { get; } = new(true, null, null, null);
    }

    /// <summary>The unstable neuron to split next, with its BaBSR-style score (see <c>JointPass.ChooseBranch</c>).</summary>
    internal readonly record struct PhaseChoice(int Layer, int Neuron, double Score, bool Perturbed = false);

    /// <summary>Phase branching (docs/phases.md) also splits z′ = z + Δz of neurons whose nominal z is stable.</summary>
    public bool SplitPerturbedPhases { get; init; }

    /// <summary>The bound of |f_j(x;θ+δ) − f_j(x;θ)| over the phase domain {x ∈ box : the phases hold}, or null when
    /// the domain was proved empty. With no phase fixed it is <see cref="Bound"/>'s bound, bit for bit.</summary>
    public DeviationBound? BoundPhaseDomain(Network network, Box box, ParameterBox delta, PhaseSet phases, CancellationToken cancellation = default)
    {
        var r = BoundPhaseDomain(network, box, delta, phases, null, -1, null, cancellation);
        return r.Infeasible ? null : r.Bound;
    }

    /// <summary>
    /// Bounds the phase domain (<paramref name="box"/>, <paramref name="phases"/>). <paramref name="outer"/>: the
    /// enclosures of a domain containing this one (the parent's), intersected in; the layers up to
    /// <paramref name="reuseThrough"/> are taken from it as they are (with this domain's phases applied) instead of
    /// being recomputed — exact when the parent differs only by splits above them. <paramref name="weights"/>: per
    /// output, how much its upper bound counts when choosing the branch (1/U_j of the root, say).
    /// </summary>
    internal PhaseDomainBound BoundPhaseDomain(Network network, Box box, ParameterBox delta, PhaseSet phases,
        LayerBounds[]? outer, int reuseThrough, double[]? weights, CancellationToken cancellation = default)
    {
        BounderChecks.Validate(network, box, delta);
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight)
        {
            Outer = outer,
            ReuseThrough = outer is null ? -1 : reuseThrough,
            Phases = phases,
            SplitPerturbed = SplitPerturbedPhases,
            ZPrimeRows = ZPrimeRows,
            BallNorm = BallNorm,
            SlopeIterations = OptimizeSlopes ? Math.Max(1, SlopeIterations) : 0,
            OptimizedHiddenLayers = OptimizeSlopes ? Math.Max(0, OptimizedHiddenLayers) : 0,
        };
        var (bound, _, enc) = pass.Run(cancellation);
        if (pass.Infeasible) return PhaseDomainBound.Empty;
        return new PhaseDomainBound(false, bound, enc, pass.ChooseBranch(bound, weights));
    }

    /// <summary>The β multipliers of one optimised bound: one per fixed phase below the objective's layer, with Adam state.</summary>
    private sealed class PhaseBetas
    {
        private readonly int[][] _neuron;
        private readonly bool[][] _perturbed;
        private readonly double[][] _sign, _value, _grad, _m, _v;
        private readonly double[] _scale;

        private PhaseBetas(int layers)
        {
            _neuron = new int[layers][]; _perturbed = new bool[layers][]; _sign = new double[layers][]; _value = new double[layers][];
            _grad = new double[layers][]; _m = new double[layers][]; _v = new double[layers][];
            _scale = new double[layers];
        }

        /// <summary>The multipliers of the phases fixed in layers below <paramref name="m"/>, all 0; null if none.</summary>
        public static PhaseBetas? For(PhaseSet? phases, int m)
        {
            if (phases is null || !phases.AnyBelow(m)) return null;
            var b = new PhaseBetas(m);
            for (int k = 0; k < m; k++)
            {
                var s = phases.Splits.Where(p => p.Layer == k).OrderBy(p => p.Neuron).ThenBy(p => p.Perturbed).ToArray();
                b._neuron[k] = s.Select(p => p.Neuron).ToArray();
                b._perturbed[k] = s.Select(p => p.Perturbed).ToArray();
                b._sign[k] = s.Select(p => p.Sign).ToArray();
                foreach (var a in new[] { b._value, b._grad, b._m, b._v }) a[k] = new double[s.Length];
            }
            return b;
        }

        /// <summary>Each multiplier by its split, for a sub-domain's optimiser to start from.</summary>
        public Dictionary<(int Layer, int Neuron, bool Perturbed), double> Values()
        {
            var r = new Dictionary<(int, int, bool), double>();
            for (int k = 0; k < _neuron.Length; k++)
                for (int q = 0; q < _neuron[k].Length; q++) r[(k, _neuron[k][q], _perturbed[k][q])] = _value[k][q];
            return r;
        }

        /// <summary>Starts each multiplier at <paramref name="from"/>'s value for its split, projected onto β ≥ 0 (0 if absent).</summary>
        public void StartFrom(IReadOnlyDictionary<(int Layer, int Neuron, bool Perturbed), double> from)
        {
            for (int k = 0; k < _neuron.Length; k++)
                for (int q = 0; q < _neuron[k].Length; q++)
                    _value[k][q] = from.TryGetValue((k, _neuron[k][q], _perturbed[k][q]), out var v) && v > 0 ? v : 0;
        }

        /// <summary>
        /// Adds β·s to the coefficients of z at layer k for a nominal split, and to those of z and Δz for a split of
        /// z′ = z + Δz; returns the constant that keeps the bound rigorous. Nominal: none is needed (see the class
        /// comment). Perturbed: the two roundings may add different multiples of s·z and s·Δz, which is no longer a
        /// multiple of the constraint, so their error, at most γ₁·|rounded coefficient|·mag(variable) each, is paid
        /// for (<paramref name="b"/>: layer k's enclosures).
        /// </summary>
        public double AddTo(int k, double[] c, double[] d, LayerBounds b)
        {
            var n = _neuron[k]; var v = _value[k]; var s = _sign[k]; var per = _perturbed[k];
            double err = 0;
            for (int q = 0; q < n.Length; q++)
            {
                if (!(v[q] > 0)) continue;
                int i = n[q];
                c[i] += v[q] * s[q];
                if (!per[q]) continue;
                d[i] += v[q] * s[q];
                err = Rounding.AddUp(err, Rounding.AddUp(Rounding.MulUp(Math.Abs(c[i]), LayerBounds.Mag(b.ZLo[i], b.ZHi[i])),
                    Rounding.MulUp(Math.Abs(d[i]), LayerBounds.Mag(b.DLo[i], b.DHi[i]))));
            }
            return err == 0 ? 0 : Rounding.AddUp(Rounding.MulUp(DotErrorBound.Gamma(1), err), DotErrorBound.Underflow);
        }

        /// <summary>∂bound/∂β = s·z* (or s·(z* + Δz*) for z′) at the relaxation's maximiser (from the primal sweep).</summary>
        public void Gradient(int k, double[] zStar, double[] dzStar)
        {
            var n = _neuron[k]; var g = _grad[k]; var s = _sign[k]; var per = _perturbed[k];
            for (int q = 0; q < n.Length; q++) g[q] = s[q] * (per[q] ? zStar[n[q]] + dzStar[n[q]] : zStar[n[q]]);
        }

        /// <summary>
        /// One projected Adam step (β ≥ 0). The step length is scaled per layer by the mean |coefficient| of z at the
        /// β = 0 iterate (<paramref name="zCoefficients"/>[k]): β is in the units of those coefficients, not of slopes.
        /// </summary>
        public void Step(int t, double lr, double[][] zCoefficients)
        {
            double c1 = 1 - Math.Pow(AdamBeta1, t), c2 = 1 - Math.Pow(AdamBeta2, t);
            for (int k = 0; k < _neuron.Length; k++)
            {
                if (t == 1)
                {
                    var c = zCoefficients[k];
                    double sum = 0;
                    foreach (var x in c) sum += Math.Abs(x);
                    _scale[k] = c.Length > 0 ? sum / c.Length : 0;
                }
                var val = _value[k]; var g = _grad[k]; var m = _m[k]; var v = _v[k];
                for (int q = 0; q < val.Length; q++)
                {
                    m[q] = AdamBeta1 * m[q] + (1 - AdamBeta1) * g[q];
                    v[q] = AdamBeta2 * v[q] + (1 - AdamBeta2) * g[q] * g[q];
                    double vh = v[q] / c2;
                    if (!(vh > 0)) continue;
                    double next = val[q] - lr * _scale[k] * (m[q] / c1) / Math.Sqrt(vh);
                    val[q] = double.IsFinite(next) ? Math.Max(0, next) : val[q];
                }
            }
        }
    }

    private sealed partial class JointPass
    {
        /// <summary>The fixed phases of the domain (null: the plain box, and every result as without phases).</summary>
        public PhaseSet? Phases { get; init; }

        /// <summary>Also branch on z′ of neurons whose z is stable but z′ is not (their Δh relaxation is then exact).</summary>
        public bool SplitPerturbed { get; init; }

        /// <summary>Layers 0..ReuseThrough take <see cref="Outer"/>'s enclosures as they are (−1: none).</summary>
        public int ReuseThrough { get; init; } = -1;

        /// <summary>Set by <see cref="Run"/> when an enclosure came out empty: the domain has no point.</summary>
        public bool Infeasible { get; private set; }

        /// <summary>The multipliers of the optimised bound being computed (null outside one, or without phases).</summary>
        private PhaseBetas? _betas;

        /// <summary>Layer m taken from <paramref name="kept"/> (a containing domain's), this domain's phases applied,
        /// activation enclosures and planes rebuilt; false when it is empty.</summary>
        private bool ReuseLayer(int m, LayerBounds kept)
        {
            var cur = new LayerBounds(kept.Count);
            foreach (var (from, to) in new[] { (kept.ZLo, cur.ZLo), (kept.ZHi, cur.ZHi), (kept.DLo, cur.DLo), (kept.DHi, cur.DHi),
                         (kept.PLo, cur.PLo), (kept.PHi, cur.PHi) })
                from.CopyTo(to, 0);
            if (!ApplyPhases(m, cur)) return false;
            var layer = _net.Layers[m];
            IntervalStep.PostActivation(layer.Activation, cur);
            _b[m + 1] = cur;
            if (m < _net.Depth - 1) _planes[m] = BuildPlanes(layer.Activation, cur);
            return true;
        }

        /// <summary>
        /// Intersects layer m's nominal enclosures with its fixed phases and z' with z + Δz, and checks every enclosure
        /// for emptiness: false proves the domain empty (both ends are rigorous bounds of the same variable).
        /// </summary>
        private bool ApplyPhases(int m, LayerBounds cur)
        {
            if (Phases is null) return true;
            for (int i = 0; i < cur.Count; i++)
            {
                int s = Phases.SignOf(m, i), sp = Phases.SignOf(m, i, perturbed: true);
                if (s > 0) cur.ZLo[i] = Math.Max(cur.ZLo[i], 0);
                else if (s < 0) cur.ZHi[i] = Math.Min(cur.ZHi[i], 0);
                if (sp > 0) cur.PLo[i] = Math.Max(cur.PLo[i], 0);
                else if (sp < 0) cur.PHi[i] = Math.Min(cur.PHi[i], 0);
                if (sp != 0)
                {
                    // z = z′ − Δz and Δz = z′ − z hold pointwise: a fixed z′ narrows both.
                    cur.ZLo[i] = Math.Max(cur.ZLo[i], Rounding.AddDown(cur.PLo[i], -cur.DHi[i]));
                    cur.ZHi[i] = Math.Min(cur.ZHi[i], Rounding.AddUp(cur.PHi[i], -cur.DLo[i]));
                    cur.DLo[i] = Math.Max(cur.DLo[i], Rounding.AddDown(cur.PLo[i], -cur.ZHi[i]));
                    cur.DHi[i] = Math.Min(cur.DHi[i], Rounding.AddUp(cur.PHi[i], -cur.ZLo[i]));
                }
                cur.PLo[i] = Math.Max(cur.PLo[i], Rounding.AddDown(cur.ZLo[i], cur.DLo[i]));
                cur.PHi[i] = Math.Min(cur.PHi[i], Rounding.AddUp(cur.ZHi[i], cur.DHi[i]));
                if (!(cur.ZLo[i] <= cur.ZHi[i] && cur.DLo[i] <= cur.DHi[i] && cur.PLo[i] <= cur.PHi[i])) return false;
            }
            return true;
        }

        /// <summary>What <see cref="Run"/> returns for an empty domain (only <see cref="Infeasible"/> is meaningful).</summary>
        private (DeviationBound, double[], LayerBounds[]) InfeasibleResult()
        {
            Infeasible = true;
            return (new DeviationBound(new double[_net.OutputSize]), new double[_net.InputSize], _b);
        }

        /// <summary>
        /// BaBSR-style choice: in the plain backward pass of the bound that counts most (the output j with the largest
        /// weighted U_j, on the side of Δf_j that attains it), every unstable nominal neuron contributes to the bound the
        /// intercepts of its relaxations, a·t_h + b·t_Δh; fixing its phase makes the h relaxation exact and the Δh one
        /// a difference of stable and 1-D relaxations, so the neuron with the largest contribution is split.
        /// </summary>
        public PhaseChoice? ChooseBranch(DeviationBound bound, double[]? weights)
        {
            int last = _net.Depth - 1, outputs = _net.OutputSize;
            int j = 0; double worst = double.NegativeInfinity;
            for (int q = 0; q < outputs; q++)
            {
                double w = weights is { } ws && ws[q] > 0 ? ws[q] : 1;
                if (bound.Upper[q] * w > worst) { worst = bound.Upper[q] * w; j = q; }
            }
            double sign = bound.DeltaUpper![j] >= -bound.DeltaLower![j] ? 1 : -1;
            var trace = new Trace(_net, last);
            SetObjective(last, j, 0, sign);
            Backward(last, trace);
            return MostWeightedUnstable(trace, last);
        }

        /// <summary>
        /// After a backward pass of the objective recorded in <paramref name="trace"/>: the unstable neuron (z, or with
        /// <see cref="SplitPerturbed"/> z′ of a neuron whose z is stable) whose relaxation intercepts a·t_h + b·t_Δh add
        /// most to that bound; fixing its phase removes them (BaBSR-style). The deviation and the margin branching share it.
        /// </summary>
        private PhaseChoice? MostWeightedUnstable(Trace trace, int last)
        {
            PhaseChoice? best = null;
            for (int k = 0; k < last; k++)
            {
                var p = _planes[k];
                if (p is null || _net.Layers[k].Activation.Operator.IsIdentity) continue;
                var b = _b[k + 1];
                var A = trace.ActA[k]; var B = trace.ActB[k];
                for (int i = 0; i < b.Count; i++)
                {
                    bool zUnstable = b.ZLo[i] < 0 && b.ZHi[i] > 0, pUnstable = SplitPerturbed && b.PLo[i] < 0 && b.PHi[i] > 0;
                    if (!zUnstable && !pUnstable) continue;
                    double a = A[i], d = B[i];
                    double score = a * (a > 0 ? p.HUt[i] : p.HLt[i]) + d * (d > 0 ? p.UT[i] : p.LT[i]);
                    // The width breaks ties (e.g. neurons the objective does not see yet).
                    score += 1e-12 * (zUnstable ? b.ZHi[i] - b.ZLo[i] : b.PHi[i] - b.PLo[i]);
                    if (best is null || score > best.Value.Score) best = new PhaseChoice(k, i, score, Perturbed: !zUnstable);
                }
            }
            return best;
        }
    }
}
