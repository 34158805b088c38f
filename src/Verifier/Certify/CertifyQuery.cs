using System.Security.Cryptography;
using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// A certify request: bound sup_{x ∈ Box, δ ∈ Perturbation} |f_j(x;θ+δ) − f_j(x;θ)| for every output j with
/// <see cref="Method"/> (and every cheaper method), within <see cref="Timeout"/> for the whole run, with replayed lower
/// bounds from <see cref="AttackRestarts"/> attack restarts, and a verdict against <see cref="Threshold"/> if given.
/// <see cref="NetworkPath"/> and <see cref="NetworkSha256"/> only label the result.
/// </summary>
public sealed record CertifyQuery(Network Network, Box Box, PerturbationModel Perturbation, BoundMethod Method, TimeSpan Timeout)
{
    public string NetworkPath { get; init; } = "";
    public string NetworkSha256 { get; init; } = "";

    /// <summary>Input splitting (auto) and branch and bound stop after this many bisections.</summary>
    public int? MaxSplits { get; init; }
    public double? Threshold { get; init; }
    public int AttackRestarts { get; init; } = 8;
    public int Seed { get; init; } = 1;

    /// <summary>Anytime branch and bound until U ≤ (1 + Gap)·L; also stops input splitting that close to L.</summary>
    public double? Gap { get; init; }
    /// <summary>Anytime branch and bound, writing (seconds, U, L) rows to this CSV file.</summary>
    public string? TracePath { get; init; }

    public bool OptimizeSlopes { get; init; }
    /// <summary>With <see cref="OptimizeSlopes"/>: the last N hidden layers' bounds are optimised too (null: all).</summary>
    public int? OptimizeHidden { get; init; }
    public int SlopeIterations { get; init; } = 20;

    /// <summary>Also build a checkable certificate (<see cref="CertifyEngine.RunWithCertificate"/>, docs/certificates.md).</summary>
    public bool Certificate { get; init; }

    /// <summary>What auto's branch and bound splits: the input box, ReLU phases, or chosen by <see cref="SplitChoice.Resolve"/>.</summary>
    public SplitKind Split { get; init; } = SplitKind.Auto;

    public bool BranchAndBound => Gap is not null || TracePath is not null;

    public static string Sha256Of(byte[] fileBytes) => Convert.ToHexStringLower(SHA256.HashData(fileBytes));

    /// <summary>Misuse is an exception (exit 64 in the CLI); the attack's own settings are checked when it runs.</summary>
    public void Validate()
    {
        if (MaxSplits is < 0) throw new UsageException("--max-splits must be ≥ 0");
        if (Threshold is { } t && !(t >= 0 && double.IsFinite(t))) throw new UsageException("--threshold must be a finite number ≥ 0");
        if (OptimizeSlopes && Method.Order < BoundMethods.Linear.Order) throw new UsageException("--optimize-slopes applies to --method linear or auto");
        if (OptimizeHidden is < 0) throw new UsageException("--optimize-hidden must be ≥ 0");
        if (SlopeIterations < 1) throw new UsageException("--slope-iterations must be ≥ 1");
        if (Perturbation.Execution is not null && (Method.Exact || BranchAndBound))
            throw new UsageException("--execution does not combine with --method z3, --gap or --trace yet: their answers are for the real-valued network only (docs/execution.md)");
        if (Certificate && Method == BoundMethods.Analytic && Perturbation.Execution is not null)
            throw new UsageException("--certificate with --method analytic does not cover --execution: its recursion records no enclosures to exclude overflow with (use ibp, linear or auto; docs/certificates.md)");
        if (Split != SplitKind.Auto && !Method.Splits)
            throw new UsageException($"--split applies to --method auto (or z3), not {Method.Name}");
        if (Certificate && Split is SplitKind.Phase or SplitKind.Hybrid)
            throw new UsageException($"--certificate does not combine with --split {(Split == SplitKind.Phase ? "phase" : "hybrid")} yet: certificates record input boxes only (docs/phases.md)");
    }
}
