using Verify.Intervals;

namespace Verify.Results;

/// <summary>
/// An input where the networks provably differ, with the exact value from rational replay: for an ε query the
/// output j and |f2_j(x) − f1_j(x)| &gt; ε; for a top-1 query a top class of each network, the argmax sets disjoint.
/// </summary>
public sealed record EquivalenceWitness(double[] X, int? Output, Rational? Difference, int? FirstClass, int? SecondClass);

/// <summary>
/// The answer of `verify equiv` (Equivalence.EquivalenceChecker). Upper[j] is a certified upper bound of sup |f2_j − f1_j| over the box
/// (+∞ where nothing was certified), Lower[j] the largest exactly replayed value (rounded down), so
/// Lower ≤ sup ≤ Upper.
/// </summary>
public sealed record EquivalenceResult(
    Verdict Verdict,
    double[] Upper,
    double[] Lower,
    EquivalenceWitness? Witness,
    long Splits,
    double Seconds,
    IReadOnlyList<string> Methods,
    bool ExactCopy,
    int OpenParts)
{
    /// <summary>Parts given to Z3, and how many of them it proved within ε.</summary>
    public int ExactPartsTried { get; init; }
    public int ExactPartsClosed { get; init; }

    /// <summary>With `--execution`: the margins already added to <see cref="Upper"/> and taken from <see cref="Lower"/>.</summary>
    public ExecutionMargin? Execution { get; init; }

    /// <summary>With `--top1 --execution`: the two networks' top-1 answers the verdict is composed of.</summary>
    public TopOneExecutionSides? TopOneExecution { get; init; }

    public double MaxUpper => Upper.Max();
    public double MaxLower => Lower.Max();
}

/// <summary>One line of --trace: the global bounds at a moment of the run.</summary>
public readonly record struct TraceRow(double Seconds, double Upper, double Lower, long Splits);
