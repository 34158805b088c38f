using Verify.Intervals;

namespace Verify.Bounds;

/// <summary>
/// CROWN-style backward linear bounds of the tail g over a phase domain of the ball (docs/normballs.md): pre-activation
/// bounds layer by layer, then per output sup g_j and sup −g_j, concretised over the ball with β for the first tail
/// layer's phases (<see cref="BallConcretisation"/>). Soundness does not rest on the floating-point coefficients: every
/// ReLU's constant is the exact maximum of μ·relu(z) − λ·z over the neuron's interval (at its ends or at 0) rounded
/// up, and every affine step adds the a-priori error of its dot products (<see cref="DotErrorBound"/>) times the
/// magnitude of the variable. A domain whose fixed phases contradict the bounds is proved empty.
/// </summary>
public sealed class BallLinearPass(BallTail tail)
{
    /// <summary>The bounds of one domain: per hidden tail layer the pre-activation enclosures (phases applied), per output
    /// the bound of |Δf_j|, the neuron to split next (layer, neuron; layer −1 for none), or Infeasible.</summary>
    public sealed record DomainBound(double[][] Lo, double[][] Hi, double[] Upper, (int Layer, int Neuron) Branch, bool Infeasible)
    {
        /// <summary>Per hidden tail layer the half-spaces of its fixed neurons (docs/normballs.md).</summary>
        public IReadOnlyList<BallHalfSpace>[] Forms { get; init; } = [];

        /// <summary>The phases this domain was bounded with.</summary>
        public sbyte[][] Phases { get; init; } = [];

        public int Signs(int m, int k) => Phases[m][k];
    }

    private static DomainBound Empty(double[][] lo, double[][] hi, List<BallHalfSpace>[] forms) =>
        new(lo, hi, [], (-1, -1), true) { Forms = forms };

    /// <summary>Bounds neuron k of hidden tail layer m into lo/hi (intersected with the parent's, clipped to its phase) and
    /// adds its half-space when fixed; false when the domain is proved empty.</summary>
    private bool Neuron(int m, int k, int n, double[][] lo, double[][] hi, sbyte[][] signs, DomainBound? parent, List<BallHalfSpace> forms)
    {
        var e = new double[n];
        // The root's enclosures are inherited by every domain (intersected), so only there are their slopes optimised.
        int iterations = parent is null ? RootHiddenIterations : 0;
        e[k] = 1; var upBound = UpperOfOptimized(e, m, lo, hi, signs, null, iterations, out var upForm);
        e[k] = -1; var downBound = UpperOfOptimized(e, m, lo, hi, signs, null, iterations, out var downForm);
        double up = upBound.Value, down = -downBound.Value;
        // A fixed phase s·z_k ≥ 0 with s·z_k ≤ A·z′ + C on the domain gives the half-space A·z′ + C ≥ 0.
        if (signs[m][k] != 0 && (signs[m][k] > 0 ? upForm : downForm) is { } f)
        {
            var side = signs[m][k] > 0 ? upBound : downBound;
            forms.Add(m == 0 ? new BallHalfSpace(Unit(n, k, signs[m][k]), 0) { FirstLayerPhase = true } : f with { H = side.FirstMu, CH = side.FirstConstant });
        }
        if (parent is not null) { up = Math.Min(up, parent.Hi[m][k]); down = Math.Max(down, parent.Lo[m][k]); }
        if (signs[m][k] > 0) down = Math.Max(down, 0);
        if (signs[m][k] < 0) up = Math.Min(up, 0);
        // The first layer's exact dual costs about ten linear passes: spent only where it can still decide a phase or
        // narrow a relaxation (the neuron is unstable on the linear bounds).
        if (UseFirstLayerDual && down < 0 && up > 0)
        {
            up = Math.Min(up, Dual(upBound, lo, hi));
            down = Math.Max(down, -Dual(downBound, lo, hi));
        }
        if (!(down <= up)) return false;
        lo[m][k] = down; hi[m][k] = up;
        return true;
    }

    private int Hidden => tail.Depth - 1 - tail.Layer;   // hidden (ReLU) tail layers: tail.Layer … Depth−2

    public int Outputs => tail.Outputs;

    /// <summary>α iterations of each output bound in every domain but the root, and of each output's and neuron's bounds
    /// at the root (whose enclosures and bounds every domain inherits).</summary>
    public int OutputSlopeIterations { get; init; } = 3;
    public int RootSlopeIterations { get; init; } = 20;

    /// <summary>The root's α iterations for its hidden neurons within about <see cref="RootSlopeWork"/> multiply-adds
    /// (each iteration is one backward pass per neuron): all of <see cref="RootSlopeIterations"/> on the 50-wide
    /// benchmark tails, 2 on a 256-wide MNIST tail, whose root would otherwise take half a minute.</summary>
    private int RootHiddenIterations
    {
        get
        {
            double work = 0, below = 0;
            for (int m = 0; m < Hidden; m++)
            {
                var layer = tail.Network.Layers[tail.Layer + m];
                work += 2.0 * layer.Outputs * below;
                below += (double)layer.Outputs * layer.Inputs;
            }
            return work == 0 ? RootSlopeIterations : (int)Math.Clamp(RootSlopeWork / work, 0, RootSlopeIterations);
        }
    }

    public double RootSlopeWork { get; init; } = 2e8;

    /// <summary>
    /// Bounds the domain of <paramref name="signs"/> (per hidden tail layer and neuron: +1 z′ ≥ 0, −1 z′ ≤ 0, 0 free),
    /// intersecting with <paramref name="parent"/>'s enclosures when given (they hold on every subdomain). A child that
    /// differs from its parent by one split in hidden layer <paramref name="splitLayer"/> ≥ 1 keeps the parent's layers
    /// below it unchanged (their bounds depend only on the phases of the layers below them and of the first tail layer).
    /// </summary>
    public DomainBound Bound(sbyte[][] signs, DomainBound? parent, CancellationToken cancellation = default, int splitLayer = -1)
    {
        int hidden = Hidden;
        var lo = new double[hidden][]; var hi = new double[hidden][];
        var forms = new List<BallHalfSpace>[hidden];
        bool reuse = parent is not null && splitLayer >= 1;
        for (int m = 0; m < hidden; m++)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = tail.Network.Layers[tail.Layer + m].Outputs;
            forms[m] = [];
            if (reuse && m <= splitLayer)
            {
                lo[m] = parent!.Lo[m]; hi[m] = parent.Hi[m]; forms[m].AddRange(parent.Forms[m]);
                if (m < splitLayer) continue;
                // The split layer: only the newly fixed neuron changes (clipped, and its half-space added).
                lo[m] = (double[])lo[m].Clone(); hi[m] = (double[])hi[m].Clone();
                for (int k = 0; k < n; k++)
                    if (signs[m][k] != 0 && parent.Signs(m, k) == 0 && !Neuron(m, k, n, lo, hi, signs, parent, forms[m]))
                        return Empty(lo, hi, forms);
                continue;
            }
            lo[m] = new double[n]; hi[m] = new double[n];
            for (int k = 0; k < n; k++)
                if (!Neuron(m, k, n, lo, hi, signs, parent, forms[m])) return Empty(lo, hi, forms);
        }
        var constraints = forms.SelectMany(f => f).ToList();
        int outputs = tail.Outputs;
        var upper = new double[outputs];
        double worst = -1; (int, int) branch = (-1, -1);
        var c = new double[outputs];
        var scores = new double[hidden][];
        for (int m = 0; m < hidden; m++) scores[m] = new double[lo[m].Length];
        for (int j = 0; j < outputs; j++)
        {
            cancellation.ThrowIfCancellationRequested();
            int iterations = parent is null ? RootSlopeIterations : OutputSlopeIterations;
            c[j] = 1; double sup = Tightest(UpperOfOptimized(c, hidden, lo, hi, signs, constraints, iterations, out _), lo, hi);
            c[j] = -1; double supNeg = Tightest(UpperOfOptimized(c, hidden, lo, hi, signs, constraints, iterations, out _), lo, hi);
            c[j] = 0;
            // sup g_j − inf g_j(z₀) and sup g_j(z₀) − inf g_j, each rounded up.
            double a = Rounding.SubUp(sup, tail.NominalLo[j]), b = Rounding.AddUp(tail.NominalHi[j], supNeg);
            if (double.IsNaN(a) || double.IsNaN(b)) a = double.PositiveInfinity;
            upper[j] = Math.Max(0, Math.Max(a, b));
            if (upper[j] > worst)
            {
                worst = upper[j];
                c[j] = a >= b ? 1 : -1;
                foreach (var s in scores) Array.Clear(s);
                UpperOf(c, hidden, lo, hi, signs, scores);
                c[j] = 0;
                branch = Best(scores, lo, hi, signs);
            }
        }
        return new DomainBound(lo, hi, upper, branch, false) { Forms = forms, Phases = signs };
    }

    private static double[] Unit(int n, int k, double s)
    {
        var e = new double[n];
        e[k] = s;
        return e;
    }

    /// <summary>The unfixed unstable neuron whose relaxation constant weighs most in the worst bound (BaBSR-like).</summary>
    private static (int, int) Best(double[][] scores, double[][] lo, double[][] hi, sbyte[][] signs)
    {
        (int, int) best = (-1, -1); double top = 0;
        for (int m = 0; m < scores.Length; m++)
            for (int k = 0; k < scores[m].Length; k++)
                if (signs[m][k] == 0 && lo[m][k] < 0 && hi[m][k] > 0 && scores[m][k] >= top && (scores[m][k] > 0 || best.Item1 < 0))
                { top = scores[m][k]; best = (m, k); }
        return best;
    }

    /// <summary>
    /// A certified upper bound of sup objective·z_{tail.Layer + target} over the domain (target = Hidden: the outputs),
    /// given the enclosures of the hidden tail layers below <paramref name="target"/>. <paramref name="scores"/>, when
    /// given, receives each neuron's relaxation constant.
    /// </summary>
    private double UpperOf(double[] objective, int target, double[][] lo, double[][] hi, sbyte[][] signs, double[][]? scores,
                           IReadOnlyList<BallHalfSpace>? constraints = null) =>
        UpperOf(objective, target, lo, hi, signs, scores, constraints, out _).Value;

    /// <summary>
    /// A linear pass's certified bound, and what the first layer's dual needs to re-bound the same objective without
    /// relaxing the first tail layer's ReLUs: the coefficients μ on h = relu(z′) and the constant of the layers above;
    /// with constraints, the multipliers the linear concretisation chose are folded in (<see cref="Multiplied"/>): μ then
    /// includes Σβ_k H_k (rounded up), [WLo, WHi] encloses Σβ_k A_k of the constraints known only on z′, and WConstant
    /// is their Σβ_k·constant.
    /// </summary>
    private sealed record LinearBound(double Value, double[]? FirstMu, double FirstConstant, double[]? WLo = null, double[]? WHi = null,
                                      double WConstant = 0);

    /// <summary>Whether the first tail layer's ReLUs are also bounded exactly through the ball's dual
    /// (<see cref="FirstLayerDual"/>), beside the linear relaxation; the smaller bound is kept.</summary>
    public bool UseFirstLayerDual { get; init; } = true;

    /// <summary>The objective's bound through <see cref="FirstLayerDual"/> (+∞ where the pass has no first layer).</summary>
    private double Dual(LinearBound b, double[][] lo, double[][] hi)
    {
        if (b.FirstMu is null) return double.PositiveInfinity;
        double sup = FirstLayerDual.Sup(b.FirstMu, b.WLo, b.WHi, lo[0], hi[0], tail.Z0Lo, tail.Z0Hi, tail.Radius);
        double total = Rounding.AddUp(Rounding.AddUp(b.FirstConstant, b.WConstant), sup);
        return double.IsNaN(total) ? double.PositiveInfinity : total;
    }

    private double Tightest(LinearBound b, double[][] lo, double[][] hi) =>
        UseFirstLayerDual ? Math.Min(b.Value, Dual(b, lo, hi)) : b.Value;

    /// <summary>As above; <paramref name="form"/> is the linear upper bound A·z′ + C of the objective on the whole domain
    /// (null when not finite). With <paramref name="constraints"/> the concretisation uses those half-spaces instead of
    /// the first tail layer's phases alone.</summary>
    private LinearBound UpperOf(double[] objective, int target, double[][] lo, double[][] hi, sbyte[][] signs, double[][]? scores,
                           IReadOnlyList<BallHalfSpace>? constraints, out BallHalfSpace? form, double[][]? alpha = null, double[][]? muTrace = null)
    {
        form = null;
        var lambda = (double[])objective.Clone();
        double constant = 0;
        double[]? firstMu = null; double firstConstant = 0;
        for (int m = target; m > 0; m--)
        {
            // z_m = W h_{m−1} + b with h_{m−1} = relu(z_{m−1}) ∈ [max(lo,0), max(hi,0)].
            var layer = tail.Network.Layers[tail.Layer + m];
            int nIn = layer.Inputs, nOut = layer.Outputs;
            var w = layer.Weights; var bias = layer.Bias;
            var mu = new double[nIn]; var err = new double[nIn];
            for (int r = 0; r < nOut; r++)
            {
                double l = lambda[r];
                if (l == 0) continue;
                constant = Rounding.AddUp(constant, Rounding.MulUp(l, bias[r]));
                var row = w.Slice(r * nIn, nIn);
                for (int i = 0; i < nIn; i++) { double p = l * row[i]; mu[i] += p; err[i] += Math.Abs(p); }
            }
            double gamma = DotErrorBound.Gamma(nOut + 1);
            double errorTerm = 0;
            var pLo = lo[m - 1]; var pHi = hi[m - 1];
            for (int i = 0; i < nIn; i++)
            {
                double mag = Math.Max(pHi[i], 0);
                if (err[i] != 0 && mag != 0)
                    errorTerm = Rounding.AddUp(errorTerm, Rounding.MulUp(Rounding.AddUp(Rounding.MulUp(gamma, err[i]), DotErrorBound.Underflow), mag));
            }
            constant = Rounding.AddUp(constant, errorTerm);
            if (muTrace is not null) muTrace[m - 1] = mu;
            if (m == 1) { firstMu = mu; firstConstant = constant; }
            // ReLU: λ_i chosen by the CROWN rule, its constant certified as the exact maximum over [lo, hi].
            var next = new double[nIn];
            for (int i = 0; i < nIn; i++)
            {
                double u = mu[i];
                if (u == 0) continue;
                double a = pLo[i], b = pHi[i];
                double slope = b <= 0 ? 0 : a >= 0 ? 1 : u > 0 ? b / (b - a) : alpha?[m - 1][i] ?? (b >= -a ? 1 : 0);
                double lam = u * slope;
                next[i] = lam;
                double k = ReluConstant(u, lam, a, b);
                constant = Rounding.AddUp(constant, k);
                if (scores is not null) scores[m - 1][i] += k;
            }
            lambda = next;
        }
        if (double.IsNaN(constant) || double.IsPositiveInfinity(constant) || double.IsNaN(firstConstant) || double.IsPositiveInfinity(firstConstant))
            return new LinearBound(double.PositiveInfinity, null, 0);
        form = new BallHalfSpace(lambda, constant);
        if (constraints is not null)
        {
            double s = Rounding.AddUp(BallHalfSpaces.Sup(lambda, constraints, tail.Z0Lo, tail.Z0Hi, tail.Radius, out var beta), constant);
            if (firstMu is null) return new LinearBound(double.IsNaN(s) ? double.PositiveInfinity : s, null, 0);
            var (mu, wLo, wHi, wConstant) = Multiplied(beta, constraints, firstMu);
            return new LinearBound(double.IsNaN(s) ? double.PositiveInfinity : s, mu, firstConstant, wLo, wHi, wConstant);
        }
        // The first tail layer's phases are linear constraints on z′ itself: they enter the concretisation (β).
        var first = signs.Length == 0 ? ReadOnlySpan<sbyte>.Empty : signs[0];
        double sup = first.IsEmpty
            ? BallConcretisation.Evaluate(lambda, tail.Z0Lo, tail.Z0Hi, tail.Radius)
            : BallConcretisation.Sup(lambda, tail.Z0Lo, tail.Z0Hi, tail.Radius, first);
        double total = Rounding.AddUp(sup, constant);
        return new LinearBound(double.IsNaN(total) ? double.PositiveInfinity : total, firstMu, firstConstant);
    }

    /// <summary>
    /// The multipliers β of the linear concretisation carried into the first layer's dual: a constraint recorded on
    /// relu(z′) (H·relu(z′) + CH ≥ 0) adds β·H to the objective's coefficients on relu(z′), rounded up (relu ≥ 0, so an
    /// upper coefficient bounds the term), and β·CH to the constant; one known only on z′ (A·z′ + C ≥ 0) adds β·A as a
    /// linear term enclosed per coordinate and β·C. The first layer's own phases are already the dual's ranges.
    /// </summary>
    private static (double[] Mu, double[] WLo, double[] WHi, double Constant) Multiplied(double[] beta, IReadOnlyList<BallHalfSpace> constraints,
                                                                                      double[] firstMu)
    {
        int n = firstMu.Length;
        var mu = (double[])firstMu.Clone();
        var lo = new double[n]; var hi = new double[n];
        double constant = 0;
        for (int k = 0; k < beta.Length; k++)
        {
            double b = beta[k];
            var c = constraints[k];
            if (!(b > 0) || c.FirstLayerPhase) continue;
            // A non-finite recorded form (near overflow) is not used: the constraint's z′ form stands in for it.
            if (c.H is { } h && h.Length == n && double.IsFinite(c.CH) && Array.TrueForAll(h, double.IsFinite))
            {
                for (int i = 0; i < n; i++)
                    if (h[i] != 0) mu[i] = Rounding.AddUp(mu[i], Rounding.MulUp(b, h[i]));
                constant = Rounding.AddUp(constant, Rounding.MulUp(b, c.CH));
                continue;
            }
            var a = c.A;
            if (!Array.TrueForAll(a, double.IsFinite)) { constant = double.PositiveInfinity; continue; } // no bound, never a wrong one
            for (int i = 0; i < n; i++)
            {
                if (a[i] == 0) continue;
                lo[i] = Rounding.AddDown(lo[i], Rounding.MulDown(b, a[i]));
                hi[i] = Rounding.AddUp(hi[i], Rounding.MulUp(b, a[i]));
            }
            constant = Rounding.AddUp(constant, Rounding.MulUp(b, c.C));
        }
        return (mu, lo, hi, constant);
    }

    /// <summary>
    /// <see cref="UpperOf(double[], int, double[][], double[][], sbyte[][], double[][]?, IReadOnlyList{BallHalfSpace}?, out BallHalfSpace?, double[][]?, double[][]?)"/>
    /// with the lower ReLU slopes α ∈ [0, 1] optimised (α-CROWN): sign steps along the gradient of the linear bound at its
    /// maximiser z′* (∂B/∂α_i = μ_i·z_i, with z the relaxed forward image of z′*). Every evaluated α gives a certified
    /// bound; the smallest is returned, with its linear form.
    /// </summary>
    private LinearBound UpperOfOptimized(double[] objective, int target, double[][] lo, double[][] hi, sbyte[][] signs,
                                    IReadOnlyList<BallHalfSpace>? constraints, int iterations, out BallHalfSpace? bestForm)
    {
        var alpha = new double[target][];
        var mu = new double[target][];
        for (int m = 0; m < target; m++)
        {
            alpha[m] = new double[lo[m].Length];
            for (int i = 0; i < alpha[m].Length; i++) alpha[m][i] = hi[m][i] >= -lo[m][i] ? 1 : 0;
        }
        var best = UpperOf(objective, target, lo, hi, signs, null, constraints, out bestForm, alpha, mu);
        if (target == 0 || !double.IsFinite(best.Value)) return best;
        var form = bestForm;
        double step = 0.5;
        for (int it = 0; it < iterations && form is not null; it++, step *= 0.75)
        {
            // z′*: the maximiser of the form's linear part over box ⊕ ball.
            var a = form.A;
            double norm = Math.Sqrt(a.Sum(v => v * v));
            var z = new double[a.Length];
            for (int i = 0; i < z.Length; i++) z[i] = (a[i] > 0 ? tail.Z0Hi[i] : tail.Z0Lo[i]) + (norm > 0 ? tail.Radius * a[i] / norm : 0);
            bool moved = false;
            for (int m = 0; m < target; m++)
            {
                var h = new double[z.Length];
                for (int i = 0; i < z.Length; i++)
                {
                    double l = lo[m][i], u = hi[m][i], g = mu[m]?[i] ?? 0;
                    bool unstable = l < 0 && u > 0;
                    h[i] = u <= 0 ? 0 : l >= 0 ? z[i] : g >= 0 ? u / (u - l) * (z[i] - l) : alpha[m][i] * z[i];
                    if (unstable && g < 0 && z[i] != 0)
                    {
                        double next = Math.Clamp(alpha[m][i] - step * Math.Sign(g * z[i]), 0, 1);
                        moved |= next != alpha[m][i];
                        alpha[m][i] = next;
                    }
                }
                var layer = tail.Network.Layers[tail.Layer + m + 1];
                z = new double[layer.Outputs];
                layer.PreActivation(h, z);
            }
            if (!moved) break;
            var value = UpperOf(objective, target, lo, hi, signs, null, constraints, out form, alpha, mu);
            if (value.Value < best.Value) { best = value; bestForm = form; }
        }
        return best;
    }

    /// <summary>max over z ∈ [a, b] of μ·relu(z) − λ·z, rounded up: piecewise linear, so at a, b or the kink 0.</summary>
    internal static double ReluConstant(double mu, double lambda, double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b)) return double.PositiveInfinity;
        double At(double z) => Rounding.AddUp(Rounding.MulUp(mu, Math.Max(z, 0)), Rounding.MulUp(-lambda, z));
        double k = Math.Max(At(a), At(b));
        if (a < 0 && b > 0) k = Math.Max(k, 0);
        return k;
    }
}
