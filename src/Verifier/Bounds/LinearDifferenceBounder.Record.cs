using Verify.Certificates;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Bounds;

public sealed partial class LinearDifferenceBounder
{
    /// <summary>
    /// A certificate node for <paramref name="box"/>: a plain pass (no slope optimisation: the optimiser's planes differ
    /// per bound, a checker wants one set per layer) whose enclosures are intersected with <paramref name="parent"/>'s
    /// as input splitting does, with every layer's pre-activation enclosures and planes, and its bound max |Δh_out|
    /// per output capped by the parent's. With <paramref name="marginClass"/> c (top-1 certificates) also the pass's
    /// lower bounds of y'_c − y'_j (<see cref="Margins"/>), raised to the parent's. The enclosures come back for the children.
    /// </summary>
    internal (NodeRecord Node, LayerBounds[] Enclosures) Record(Network network, Box box, ParameterBox delta,
        int parentIndex, (NodeRecord Node, LayerBounds[] Enclosures)? parent, CancellationToken cancellation = default,
        int? marginClass = null)
    {
        BounderChecks.Validate(network, box, delta);
        var pass = new JointPass(network, box, delta, PlaneSpreadWeight) { ZPrimeRows = ZPrimeRows, Outer = parent?.Enclosures };
        var (bound, _, enclosures) = pass.Run(cancellation);
        var layers = new LayerRecord[network.Depth];
        for (int k = 0; k < network.Depth; k++)
        {
            var e = enclosures[k + 1];
            layers[k] = new LayerRecord(Copy(e.ZLo), Copy(e.ZHi), Copy(e.DLo), Copy(e.DHi), Copy(e.PLo), Copy(e.PHi))
            {
                Planes = pass.PlanesOf(k) is { } pl ? Listed(pl, Unstable(network.Layers[k].Activation.Operator.Kink, e)) : null,
            };
        }
        var upper = Copy(bound.Upper);
        if (parent is { } p)
            for (int j = 0; j < upper.Length; j++) upper[j] = Math.Min(upper[j], p.Node.Bound[j]);
        double[]? margin = null;
        if (marginClass is { } c)
        {
            margin = Copy(pass.Margins(c).Lower);
            margin[c] = 0;
            if (parent?.Node.Margin is { } pm)
                for (int j = 0; j < margin.Length; j++) margin[j] = Math.Max(margin[j], pm[j]);
            for (int j = 0; j < margin.Length; j++)
                if (double.IsNegativeInfinity(margin[j])) margin[j] = -double.MaxValue; // JSON has no −∞; still a lower bound
        }
        return (new NodeRecord(parentIndex, Copy(box.Lower), Copy(box.Upper), layers, upper) { Margin = margin }, enclosures);
    }

    private static double[] Copy(double[] a) => (double[])a.Clone();

    /// <summary>The neurons whose planes a checker needs: z or z' may cross the kink of a σ that is not linear.</summary>
    private static int[] Unstable(Kink g, LayerBounds e) => Enumerable.Range(0, e.Count)
        .Where(j => g.P != g.N && !(e.ZLo[j] >= 0 && e.PLo[j] >= 0) && !(e.ZHi[j] <= 0 && e.PHi[j] <= 0)).ToArray();

    private static PlaneRecord Listed(Planes p, int[] neurons)
    {
        double[] At(double[] a) => neurons.Select(j => a[j]).ToArray();
        return new PlaneRecord(neurons, At(p.HUa), At(p.HUt), At(p.HLa), At(p.HLt), At(p.UZ), At(p.UD), At(p.UP), At(p.UT),
            At(p.LZ), At(p.LD), At(p.LP), At(p.LT));
    }

    private sealed partial class JointPass
    {
        public Planes? PlanesOf(int layer) => _planes[layer];
    }
}
