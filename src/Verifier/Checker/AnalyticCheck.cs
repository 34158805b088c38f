using System.Globalization;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Checker;

/// <summary>
/// A `--method analytic` certificate: the closed-form recursion has no choices, so the checker recomputes it in exact
/// rationals from the network, the box and the admissible set it rebuilt itself (never the engine's numbers), and the
/// claimed upper[j] must be at least the recomputed bound. With H ≥ |h_j| and D ≥ |Δh_j| for every neuron of a layer
/// (H₀ = max |x_j| over the box, D₀ = 0) and M = max(|P|, |N|) the activation's Lipschitz constant (σ(0) = 0):
///   Δz_i = Σ_j W_ij Δh_j + Σ_j δW_ij h′_j + δb_i with |h′_j| ≤ H + D, so
///   |Δh_i| ≤ M·(Σ_j |W_ij|·D + Σ_j max|δW_ij|·(H + D) + max|δb_i|) and |h_i| ≤ M·(Σ_j |W_ij|·H + |b_i|);
/// the next H and D are the maxima over i, and the output layer's row bounds bound |Δf_i|. On a norm ball's layer a
/// row of δW has 2-norm ≤ r, so Σ_j |δW_ij| ≤ √n·r too: the certificate records the engine's cap q and the checker
/// uses min(Σ_j r, q) after checking q² ≥ n·r² exactly.
/// </summary>
internal static class AnalyticCheck
{
    public static CheckReport Check(CertificateInput cert, AnalyticInput analytic, ExactNetwork net, ExactParameters delta)
    {
        int outputs = net.Outputs[^1];
        if (cert.Upper is not { } claimed || claimed.Length != outputs)
            return CheckReport.Invalid($"\"upper\" must list one bound per output ({outputs})");
        Rational H = Rational.Zero, D = Rational.Zero;
        for (int j = 0; j < cert.BoxLower.Length; j++)
            H = Rational.Max(H, Rational.Max(Rational.Abs(Rational.FromDouble(cert.BoxLower[j])), Rational.Abs(Rational.FromDouble(cert.BoxUpper[j]))));
        var rows = Array.Empty<Rational>();
        for (int k = 0; k < net.Depth; k++)
        {
            int nIn = net.Inputs[k], nOut = net.Outputs[k];
            var lip = Rational.Max(Rational.Abs(net.P[k]), Rational.Abs(net.N[k]));
            Rational? cap = null;
            if (delta.Ball is { } ball && ball.Layer == k && analytic.RowCap is { } recorded)
            {
                var q = Rational.FromDouble(recorded);
                if (q * q < ball.Radius * ball.Radius * nIn)
                    return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                        $"analytic.rowCap = {recorded:R} is below √n·r for layer {k + 1} (n = {nIn}, r = {ball.Radius.ToDouble():R})"));
                cap = q;
            }
            var hp = H + D;
            rows = new Rational[nOut];
            Rational hNext = Rational.Zero;
            for (int i = 0; i < nOut; i++)
            {
                Rational wAbs = Rational.Zero, eAbs = Rational.Zero;
                for (int j = 0; j < nIn; j++)
                {
                    int q = i * nIn + j;
                    wAbs += Rational.Abs(net.W[k][q]);
                    eAbs += Rational.Max(-delta.WLo[k][q], delta.WHi[k][q]);
                }
                if (cap is { } c) eAbs = Rational.Min(eAbs, c);
                var bAbs = Rational.Max(-delta.BLo[k][i], delta.BHi[k][i]);
                rows[i] = lip * (wAbs * D + eAbs * hp + bAbs);
                hNext = Rational.Max(hNext, lip * (wAbs * H + Rational.Abs(net.B[k][i])));
            }
            H = hNext;
            D = rows.Aggregate(Rational.Zero, Rational.Max);
        }
        for (int j = 0; j < outputs; j++)
            if (Rational.FromDouble(claimed[j]) < rows[j])
                return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"upper[{j}] = {claimed[j]:R} is below the exact analytic bound {rows[j].ToDouble():R}"));
        var exact = rows.Select(r => r.ToInterval().Hi).ToArray();
        return new CheckReport(true, string.Create(CultureInfo.InvariantCulture,
            $"valid: the analytic recursion recomputed exactly; claimed sup U = {claimed.Max():G6}, exact recomputation ≤ {exact.Max():G6}"),
            0, exact, claimed);
    }
}
