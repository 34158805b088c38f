namespace Verify.Bounds;

/// <summary>A part of a phase split: the fixed phases, and the layer of the newest split (the layers up to it can be
/// taken from the parent's enclosures unchanged; −1 for the root).</summary>
public sealed record PhaseDomain(PhaseSet Phases, int SplitLayer);
