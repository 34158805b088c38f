using Verify.Intervals;

namespace Verify.Specs;

/// <summary>
/// A parsed VNNLIB file: the input box (exact bounds as written, and the tightest enclosing double box, so the
/// double box contains every real point of the specified box) and the output property.
/// </summary>
public sealed record VnnLibSpec(
    string Path, int InputSize, int OutputSize,
    IReadOnlyList<Rational> ExactLower, IReadOnlyList<Rational> ExactUpper,
    Box InputBox, OutputProperty Output)
{
    /// <summary>Whether some bound is not a double, so <see cref="InputBox"/> is one ulp wider there than the file's box.</summary>
    public bool BoxWasWidened =>
        Enumerable.Range(0, InputSize).Any(i => Rational.FromDouble(InputBox[i].Lo) != ExactLower[i] ||
                                                Rational.FromDouble(InputBox[i].Hi) != ExactUpper[i]);
}
