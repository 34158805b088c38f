using Verify.Errors;

namespace Verify.Certify;

/// <summary>certify's --split: what auto's branch and bound splits.</summary>
public enum SplitKind
{
    /// <summary>Chosen by <see cref="SplitChoice.Resolve"/>.</summary>
    Auto,
    /// <summary>Bisect the input box (Bounds/InputSplittingBounder).</summary>
    Input,
    /// <summary>Fix ReLU phases with β multipliers (Bounds/Phases/PhaseSplittingBounder, docs/phases.md).</summary>
    Phase,
}

/// <summary>The rule of --split auto, in one place (docs/phases.md has the measurements behind it).</summary>
public static class SplitChoice
{
    /// <summary>Input dimensions from which auto branches on phases instead of bisecting the box.</summary>
    public const int PhaseFromInputDimension = 32;

    public static SplitKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "auto" => SplitKind.Auto,
        "input" => SplitKind.Input,
        "phase" => SplitKind.Phase,
        _ => throw new UsageException($"--split: '{name}' is not one of input, phase, auto"),
    };

    /// <summary>
    /// auto: phases for inputs of at least <see cref="PhaseFromInputDimension"/> dimensions (bisection cannot cut
    /// such a box small), the input box otherwise. With a certificate always the input box (certificates record
    /// boxes only).
    /// </summary>
    public static SplitKind Resolve(SplitKind asked, int inputDimension, bool certificate) => asked switch
    {
        SplitKind.Auto when certificate => SplitKind.Input,
        SplitKind.Auto => inputDimension >= PhaseFromInputDimension ? SplitKind.Phase : SplitKind.Input,
        _ => asked,
    };
}
