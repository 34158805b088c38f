using Verify.Bounds;

namespace Verify.Certify;

/// <summary>
/// One bound method of <see cref="BoundMethods"/>: its name (certify's --method, equiv's --bounder), its place in the
/// order from cheapest to tightest, how to build its bounder (null for z3, which is an exact maximiser, not a bounder),
/// whether it splits the input box itself (auto, and z3 on the outputs it leaves open), whether it asks Z3 for exact
/// answers, and the leaf bounder that certify's anytime branch and bound (--gap, --trace) uses for it.
/// </summary>
public sealed record BoundMethod(
    string Name,
    int Order,
    bool Splits,
    bool Exact,
    Func<BounderSettings, IDeviationBounder>? Create,
    Func<IDeviationBounder> SearchLeaf)
{
    /// <summary>Bounds the whole box in one pass: a step of certify's ladder, and a candidate for equiv's parts.</summary>
    public bool BoundsInOnePass => Create is not null && !Splits;

    public override string ToString() => Name;
}
