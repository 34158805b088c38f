using Verify.Intervals;

namespace Verify.Specs;

/// <summary>The input region of a query: a box, where it came from, and the VNNLIB spec when it came from one.</summary>
public sealed record InputBox(Box Box, string Source, VnnLibSpec? Spec = null)
{
    public int Dimension => Box.Dimension;
}
