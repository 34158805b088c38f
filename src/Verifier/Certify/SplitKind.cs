namespace Verify.Certify;

/// <summary>certify's --split: what auto's branch and bound splits.</summary>
public enum SplitKind
{
    /// <summary>Chosen by <see cref="SplitChoice.Resolve"/>; resolved, input splitting that switches to phase branching
    /// when it stalls (<see cref="SplitChoice.Stalled"/>).</summary>
    Auto,
    /// <summary>Bisect the input box (Bounds/InputSplittingBounder).</summary>
    Input,
    /// <summary>Fix ReLU phases with β multipliers (Bounds/Phases/PhaseSplittingBounder, docs/phases.md).</summary>
    Phase,
    /// <summary>Bisect boxes, and branch on the phases of a box where bisection stalls
    /// (Bounds/Phases/HybridSplittingBounder, docs/phases.md).</summary>
    Hybrid,
}
