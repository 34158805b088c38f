using Verify.Errors;

namespace Verify.Certify;

/// <summary>The rule of --split auto, in one place (docs/phases.md has the measurements behind it).</summary>
public static class SplitChoice
{
    public static SplitKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "auto" => SplitKind.Auto,
        "input" => SplitKind.Input,
        "phase" => SplitKind.Phase,
        _ => throw new UsageException($"--split: '{name}' is not one of input, phase, auto"),
    };

    /// <summary>
    /// auto: the input box, for every input dimension. Measured back to back at the same budget (BENCHMARKS.md), phase
    /// branching was far looser on the 5-input networks and, on the 784-input MNIST network, no better than input
    /// splitting with optimised slopes (its gain there is the α optimisation of its leaf, not the splits), so no
    /// input dimension is known where it should be chosen automatically. An explicit --split is kept as asked.
    /// </summary>
    public static SplitKind Resolve(SplitKind asked, int inputDimension, bool certificate) => asked switch
    {
        SplitKind.Auto => SplitKind.Input,
        _ => asked,
    };
}
