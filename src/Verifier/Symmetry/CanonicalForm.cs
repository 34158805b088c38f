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
