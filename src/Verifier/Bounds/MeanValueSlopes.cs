using Verify.Model;

namespace Verify.Bounds;

/// <summary>
/// Enclosures of the activation's slope along the segment θ + tδ, per neuron of one layer, read off the enclosure of
/// its perturbed pre-activation z′: P where z′ ≥ 0, N where z′ ≤ 0, and the hull [min(N, P), max(N, P)] where the
/// enclosure straddles 0. At z′ = 0 the slope is not defined, but a.e. on the set of t where z′(t) = 0 its
/// derivative is 0 too, so whichever slope is taken there multiplies 0 (docs/meanvalue.md): the one-sided choice at
/// a closed endpoint is sound.
/// </summary>
internal sealed record SlopeIntervals(double[] Lo, double[] Hi)
{
    public static SlopeIntervals Of(Activation activation, LayerBounds layer)
    {
        var k = activation.Operator.Kink;
        int n = layer.Count;
        var lo = new double[n]; var hi = new double[n];
        double min = Math.Min(k.P, k.N), max = Math.Max(k.P, k.N);
        for (int i = 0; i < n; i++)
        {
            if (layer.PLo[i] >= 0) lo[i] = hi[i] = k.P;
            else if (layer.PHi[i] <= 0) lo[i] = hi[i] = k.N;
            else { lo[i] = min; hi[i] = max; }
        }
        return new SlopeIntervals(lo, hi);
    }
}
