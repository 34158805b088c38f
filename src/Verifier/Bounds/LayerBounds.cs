namespace Verify.Bounds;

/// <summary>
/// Sound enclosures of one layer's variables in both copies of the network: pre-activations z (nominal), Δz = z' − z
/// and z' (perturbed), and post-activations h, Δh, h'. Arrays are indexed by neuron; every endpoint is rigorous.
/// </summary>
internal sealed class LayerBounds
{
    public readonly double[] ZLo, ZHi, DLo, DHi, PLo, PHi;
    public readonly double[] HLo, HHi, DHLo, DHHi, HPLo, HPHi;

    public LayerBounds(int n)
    {
        ZLo = new double[n]; ZHi = new double[n]; DLo = new double[n]; DHi = new double[n]; PLo = new double[n]; PHi = new double[n];
        HLo = new double[n]; HHi = new double[n]; DHLo = new double[n]; DHHi = new double[n]; HPLo = new double[n]; HPHi = new double[n];
    }

    public int Count => ZLo.Length;

    /// <summary>The input layer as a "post-activation": h = h' = x ∈ box, Δh = 0.</summary>
    public static LayerBounds ForInput(ReadOnlySpan<double> lo, ReadOnlySpan<double> hi)
    {
        var b = new LayerBounds(lo.Length);
        for (int j = 0; j < lo.Length; j++)
        {
            b.HLo[j] = b.HPLo[j] = b.ZLo[j] = b.PLo[j] = lo[j];
            b.HHi[j] = b.HPHi[j] = b.ZHi[j] = b.PHi[j] = hi[j];
        }
        return b;
    }

    /// <summary>Intersects z, Δz and z' with other sound enclosures of the same variables (e.g. from a box containing
    /// this one); both contain the true values, so the intersection cannot be empty.</summary>
    public void IntersectPreActivations(LayerBounds o)
    {
        for (int i = 0; i < Count; i++)
        {
            ZLo[i] = Math.Max(ZLo[i], o.ZLo[i]); ZHi[i] = Math.Min(ZHi[i], o.ZHi[i]);
            DLo[i] = Math.Max(DLo[i], o.DLo[i]); DHi[i] = Math.Min(DHi[i], o.DHi[i]);
            PLo[i] = Math.Max(PLo[i], o.PLo[i]); PHi[i] = Math.Min(PHi[i], o.PHi[i]);
        }
    }

    public static double Mag(double lo, double hi) => Math.Max(Math.Abs(lo), Math.Abs(hi));
}
