namespace Verify.Certificates;

/// <summary>
/// One layer of a leaf's linear pass as a checker needs it: the enclosures of the pre-activations z, Δz = z' − z and
/// z' (per neuron, doubles read as exact rationals) and, for hidden layers, the activation planes the backward passes
/// used. Post-activation enclosures are not recorded: a checker derives them from these exactly.
/// </summary>
public sealed record LayerRecord(double[] ZLo, double[] ZHi, double[] DLo, double[] DHi, double[] PLo, double[] PHi)
{
    /// <summary>Null for the output layer (no backward pass crosses its activation).</summary>
    public PlaneRecord? Planes { get; init; }
}

/// <summary>
/// Per listed neuron of one activation (<see cref="Neurons"/>, increasing; the arrays run parallel to it):
/// h ≤ HUa·z + HUt, h ≥ HLa·z + HLt, and Δh ≤ UZ·z + UD·Δz + UP·z' + UT, Δh ≥ LZ·z + LD·Δz + LP·z' + LT, valid over
/// the neuron's (z, Δz, z') enclosure. Neurons whose z and z' stay on one linear piece of σ (or σ linear) are not
/// listed: there h = s·z and Δh = s·Δz exactly, which a checker writes down itself.
/// </summary>
public sealed record PlaneRecord(
    int[] Neurons,
    double[] HUa, double[] HUt, double[] HLa, double[] HLt,
    double[] UZ, double[] UD, double[] UP, double[] UT,
    double[] LZ, double[] LD, double[] LP, double[] LT);

/// <summary>
/// A node of the split tree: a sub-box of its parent's box (<see cref="Parent"/> −1 for the root, else an earlier
/// node), every layer's record of a linear pass on it whose enclosures are intersected with the parent's (valid on a
/// sub-box), and its bound per output: max |Δh_out| of that pass, capped by the parent's bound. The nodes that are
/// nobody's parent are the leaves; they cover the input box.
/// </summary>
public sealed record NodeRecord(int Parent, double[] Lower, double[] Upper, IReadOnlyList<LayerRecord> Layers, double[] Bound)
{
    /// <summary>Top-1 certificates: per rival j a lower bound of y'_c − y'_j on the node's box (the same pass's margin
    /// objective, or the parent's bound where larger); the entry of the class c itself is 0 and means nothing.</summary>
    public double[]? Margin { get; init; }

    /// <summary>Top-1 equivalence certificates (`equiv --top1`): per rival j a lower bound of y_c − y_j of the nominal
    /// (first) network on the node's box; <see cref="Margin"/> is then the second network's.</summary>
    public double[]? NominalMargin { get; init; }
}
