using Verify.Intervals;
using Verify.Model;
using Verify.Search;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>
/// The worst case from below: the best exactly replayed witness of the deviation attack (docs/search.md) over the noise
/// support, the "best witness" line of a sweep next to the certified upper bound. Only where the support is an
/// admissible set of the attack: one matrix's norm ball, or the ε box (absolute or relative). Null otherwise (several
/// norm-noised matrices, Gaussian noise) or when the attack finds nothing.
/// </summary>
public static class WorstCaseWitness
{
    /// <summary>A small attack budget: one per sweep level.</summary>
    private static readonly AttackOptions Budget = new() { Restarts = 8, Steps = 60, LocalSearchRounds = 4 };

    public static double? Lower(Network net, Box inputs, NoiseSpec noise, int seed, CancellationToken cancellation = default)
    {
        if (!noise.IsBounded) return null;
        ParameterBox delta;
        if (noise.Kind == NoiseKind.NormRatio)
        {
            if (noise.Layers.Count != 1) return null;
            // The ball of the ratio itself (EnclosingBox adds the sampler's slack for the upper bound's sake).
            delta = new PerturbationModel { Kind = PerturbationKind.NormBall, NormLayer = noise.Layers[0] + 1, Norm = noise.Norm, Ratio = noise.Ratio }.ToBox(net);
        }
        else if (noise.EnclosingBox(net) is { } box) delta = box;
        else return null;
        var result = new DeviationAttack(net, delta, Budget with { Seed = seed }).Run(inputs, cancellation: cancellation);
        var values = result.Lower.Where(l => l is not null).Select(l => l!.Value).ToArray();
        return values.Length == 0 ? null : values.Max();
    }
}
