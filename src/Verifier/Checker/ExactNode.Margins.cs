using System.Globalization;
using Verify.Intervals;

namespace Verify.Checker;

internal sealed partial class ExactNode
{
    private readonly int? _marginClass;

    /// <summary>Top-1 certificates: per rival j the exact lower bound of y'_c − y'_j established for this node (the
    /// entry of c itself is zero and means nothing); set by <see cref="Check"/>.</summary>
    public Rational[]? Margins { get; private set; }

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
    }
}
