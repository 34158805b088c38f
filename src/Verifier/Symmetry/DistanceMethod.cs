namespace Verify.Symmetry;

/// <summary>How `verify distance` minimises: exact where a method exists, the alignment heuristic, or chosen by size.</summary>
public enum DistanceMethod { Auto, Exact, Heuristic }
