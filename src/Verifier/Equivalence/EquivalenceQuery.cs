using Verify.Errors;
using Verify.Intervals;
using Verify.Model;

namespace Verify.Equivalence;

/// <summary>
/// Is sup_{x ∈ Input} ‖f2(x) − f1(x)‖∞ ≤ Eps (when <see cref="TopOne"/> is false), or do the two networks pick a
/// common top class everywhere on Input (when it is true)?
/// </summary>
public sealed record EquivalenceQuery(Network First, Network Second, Box Input, double Eps, bool TopOne)
{
    public TimeSpan? Timeout { get; init; }

    /// <summary>The two files as given and the SHA-256 of their bytes: they only label a certificate.</summary>
    public string FirstPath { get; init; } = "";
    public string FirstSha256 { get; init; } = "";
    public string SecondPath { get; init; } = "";
    public string SecondSha256 { get; init; } = "";

    public int Seed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Share of the time limit for the witness search before branch and bound (at most 0.5 s).</summary>
    public double AttackShare { get; init; } = 0.1;

    /// <summary>Whether small open parts go to Z3 (ε queries): by default only for different architectures, whose
    /// difference bounds are weaker than the joint ones of a same-architecture pair.</summary>
    public ExactPartsMode ExactParts { get; init; } = ExactPartsMode.Auto;

    /// <summary>Parts with more unstable neurons (both networks together) than this are not given to Z3.</summary>
    public int ExactMaxUnstable { get; init; } = 24;

    /// <summary>The largest share of the elapsed time spent in Z3 on parts.</summary>
    public double ExactShare { get; init; } = 0.5;

    public void Validate()
    {
        if (First.InputSize != Second.InputSize)
            throw new UsageException($"the networks take {First.InputSize} and {Second.InputSize} inputs");
        if (First.OutputSize != Second.OutputSize)
            throw new UsageException($"the networks have {First.OutputSize} and {Second.OutputSize} outputs");
        if (Input.Dimension != First.InputSize)
            throw new UsageException($"the input box has {Input.Dimension} dimensions, the networks take {First.InputSize} inputs");
        if (!TopOne && !(Eps >= 0 && double.IsFinite(Eps)))
            throw new UsageException($"--eps must be a finite number ≥ 0, got {Eps}");
        if (ExactMaxUnstable < 0) throw new UsageException("the unstable-neuron limit for exact parts must be ≥ 0");
        if (Threads < 1) throw new UsageException("threads must be at least 1");
    }
}

public enum ExactPartsMode { Auto, On, Off }
