namespace Verify.Symmetry;

/// <summary>Which scaling representative `verify canon` picks for each hidden neuron.</summary>
public enum CanonicalScaling
{
    /// <summary>Incoming ∞-norm (weights and bias) equal to the outgoing ∞-norm.</summary>
    Balanced,

    /// <summary>Incoming ∞-norm (weights and bias) equal to 1.</summary>
    UnitIncoming,
}

public sealed record CanonOptions(CanonicalScaling Scaling, bool ExactScaling);

/// <summary>
/// The canonical representative and what had to be said about it: whether the balanced sweeps converged, the
/// worst remaining imbalance, and layers where the neuron order could not be made canonical (tied keys).
/// </summary>
public sealed record CanonResult(
    Verify.Model.Network Network,
    int BalanceSweeps,
    double MaxImbalance,
    int NullNeurons,
    IReadOnlyList<string> Warnings);
