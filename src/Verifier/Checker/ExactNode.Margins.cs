using System.Globalization;
using Verify.Intervals;

namespace Verify.Checker;

internal sealed partial class ExactNode
{
    private readonly int? _marginClass;

    /// <summary>Top-1 certificates: per rival j the exact lower bound of y'_c − y'_j established for this node (the
    /// entry of c itself is zero and means nothing); set by <see cref="Check"/>.</summary>
    public Rational[]? Margins { get; private set; }

    /// <summary>Top-1 equivalence certificates: per rival j the exact lower bound of the nominal y_c − y_j established
    /// for this node; set by <see cref="Check"/> when the node records nominal margins.</summary>
    public Rational[]? NominalMargins { get; private set; }

    /// <summary>
    /// Per rival j, lo(σ(z'_c)) − hi(σ(z'_j)) over the checked output enclosure and, for an identity output layer, minus
    /// the exact backward bound of z'_j − z'_c (the objective c = d = e_j − e_c); at least the parent's recorded margin,
    /// which holds on this sub-box. The recorded margin must not exceed that.
    /// </summary>
    private void CheckMargins(int k, int cls)
    {
        var pre = _pre[k];
        int n = pre.AHi.Length;
        var recorded = _leaf.Margin ?? throw new CheckFailure("it records no margins");
        if (recorded.Length != n) throw new CheckFailure($"its margin has {recorded.Length} entries, the network {n} outputs");
        var parent = _parent?.Record.Margin;
        bool identity = _net.P[k] == Rational.One && _net.N[k] == Rational.One;
        var top = SigmaRange(k, pre.PLo[cls], pre.PHi[cls]).Item1;
        var margin = new Rational[n];
        for (int j = 0; j < n; j++)
        {
            if (j == cls) continue;
            var own = top - SigmaRange(k, pre.PLo[j], pre.PHi[j]).Item2;
            if (identity)
            {
                var v = new Rational[n];
                v[j] = Rational.One; v[cls] = -Rational.One;
                own = Rational.Max(own, -Backward(k, v, (Rational[])v.Clone()));
            }
            margin[j] = parent is null ? own : Rational.Max(own, Rational.FromDouble(parent[j]));
            if (Rational.FromDouble(recorded[j]) > margin[j])
                throw new CheckFailure(string.Create(CultureInfo.InvariantCulture,
                    $"class {j}: its margin {recorded[j]:R} is above the exact bound {margin[j].ToDouble():R}"));
        }
        Margins = margin;
        if (_leaf.NominalMargin is not null) CheckNominalMargins(k, cls, identity);
    }

    /// <summary>
    /// The nominal network's margins y_c − y_j (`equiv --top1`: δ turns the first network into the second, whose margins
    /// are <see cref="Margins"/>): per rival the largest of lo σ(z_c) − hi σ(z_j) over the checked enclosure, for an
    /// identity output layer minus the exact backward bound of z_j − z_c (c = e_j − e_c, d = 0) and the second network's
    /// margin minus the difference (y_c − y_j = (y'_c − y'_j) − (Δz_c − Δz_j) ≥ margin_j − hi Δz_c + lo Δz_j), and the
    /// parent's recorded nominal margin. The recorded one must not exceed it.
    /// </summary>
    private void CheckNominalMargins(int k, int cls, bool identity)
    {
        var pre = _pre[k];
        int n = pre.AHi.Length;
        var recorded = _leaf.NominalMargin!;
        if (recorded.Length != n) throw new CheckFailure($"its nominalMargin has {recorded.Length} entries, the network {n} outputs");
        var parent = _parent?.Record.NominalMargin;
        var top = SigmaRange(k, pre.ALo[cls], pre.AHi[cls]).Item1;
        var margin = new Rational[n];
        for (int j = 0; j < n; j++)
        {
            if (j == cls) continue;
            var own = top - SigmaRange(k, pre.ALo[j], pre.AHi[j]).Item2;
            if (identity)
            {
                var v = new Rational[n];
                v[j] = Rational.One; v[cls] = -Rational.One;
                own = Rational.Max(own, -Backward(k, v, new Rational[n]));
                own = Rational.Max(own, Margins![j] - pre.DHi[cls] + pre.DLo[j]);
            }
            margin[j] = parent is null ? own : Rational.Max(own, Rational.FromDouble(parent[j]));
            if (Rational.FromDouble(recorded[j]) > margin[j])
                throw new CheckFailure(string.Create(CultureInfo.InvariantCulture,
                    $"class {j}: its nominal margin {recorded[j]:R} is above the exact bound {margin[j].ToDouble():R}"));
        }
        NominalMargins = margin;
    }
}
