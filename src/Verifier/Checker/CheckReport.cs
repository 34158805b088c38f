namespace Verify.Checker;

/// <summary>
/// The checker's answer, a value: valid or not with the first reason, and what was checked. <see cref="ExactUpper"/>
/// is, per output, the maximum over the leaves of the bound recomputed exactly (rounded up to a double for display).
/// </summary>
public sealed record CheckReport(bool Valid, string Message, int Leaves, double[]? ExactUpper, double[]? ClaimedUpper)
{
    /// <summary>Per leaf of the split tree, the exact bound per output (valid bounded certificates).</summary>
    public IReadOnlyList<double[]>? LeafExact { get; init; }

    /// <summary>Set when everything checked holds but some claims rest on SMT queries the second solver did not
    /// re-decide (cvc5 not installed, or it answered unknown): the certificate is then not shown valid (exit 2).</summary>
    public string? Undecided { get; init; }

    /// <summary>A report of a certificate that does not prove its claim.</summary>
    public static CheckReport Invalid(string why, int leaves = 0) => new(false, why, leaves, null, null);
}
