namespace Verify.Bab;

/// <summary>The number of nodes per round: <see cref="BabOptions.BatchSize"/>, grown towards
/// <see cref="BabOptions.MaxBatchSize"/> so that a round takes about <see cref="BabOptions.TargetRoundSeconds"/> at
/// the measured seconds per node (a moving average, so the size follows nodes that get cheaper or dearer).</summary>
public sealed class RoundSizer(BabOptions options)
{
    private double _perNode = double.NaN;

    public int Size { get; private set; } = Math.Max(1, options.BatchSize);

    public void Observe(int nodes, double seconds)
    {
        if (options.TargetRoundSeconds <= 0 || options.MaxBatchSize <= options.BatchSize || nodes == 0) return;
        double perNode = seconds / nodes;
        // Weighted by the round's nodes, so a one-node round early on does not steer the size for long.
        double weight = Math.Min(1, nodes / (double)Size);
        _perNode = double.IsNaN(_perNode) ? perNode : (1 - 0.5 * weight) * _perNode + 0.5 * weight * perNode;
        double wanted = _perNode > 0 ? options.TargetRoundSeconds / _perNode : options.MaxBatchSize;
        Size = (int)Math.Clamp(wanted, options.BatchSize, options.MaxBatchSize);
    }
}
