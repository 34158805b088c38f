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
        "hybrid" => SplitKind.Hybrid,
        _ => throw new UsageException($"--split: '{name}' is not one of input, phase, hybrid, auto"),
    };

    /// <summary>
    /// auto (without a certificate) stays <see cref="SplitKind.Auto"/>: input splitting first, given up for ReLU-phase
    /// branching when its probe share of the time (<see cref="ProbeShare"/>) did not bring sup U down by
    /// <see cref="MinProgress"/> (<see cref="Stalled"/>). Measured back to back (BENCHMARKS.md), phase branching was far
    /// looser than bisection on the 5-input networks, where bisection halves U within seconds; on the 784-input MNIST
    /// network 11–15 bisections in 60 s moved U by 1–2 % and phase branching reached 395.5 against 440.9, mostly
    /// through the α slopes of its leaf. A certificate records input splitting's tree only, so with one auto is input.
    /// An explicit --split is kept as asked.
    /// </summary>
    public static SplitKind Resolve(SplitKind asked, int inputDimension, bool certificate) => asked switch
    {
        SplitKind.Auto => certificate ? SplitKind.Input : SplitKind.Auto,
        _ => asked,
    };

    /// <summary>The share of the splitting budget after which auto judges input splitting's progress.</summary>
    public const double ProbeShare = 0.25;

    /// <summary>The relative decrease of sup U that input splitting must reach within its probe share.</summary>
    public const double MinProgress = 0.05;

    /// <summary>Whether input splitting, started at sup U <paramref name="before"/> and now at <paramref name="now"/>,
    /// has stalled (NaN counts as stalled).</summary>
    public static bool Stalled(double before, double now) => !(now <= (1 - MinProgress) * before);
}
