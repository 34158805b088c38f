using Verify.Errors;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// A `certify --top1` request: is the nominal network's top class at the centre of <see cref="Box"/> the unique top
/// class of every admissible perturbed network at every point of the box (a fixed input is a box with lo = hi)?
/// <see cref="Method"/> is linear (one margin pass) or auto (the pass refined by input splitting); the attack runs
/// <see cref="AttackRestarts"/> restarts per rival (0: none). <see cref="NetworkPath"/>, <see cref="NetworkSha256"/>
/// only label the result.
/// </summary>
public sealed record TopOneQuery(Network Network, Box Box, PerturbationModel Perturbation, BoundMethod Method, TimeSpan Timeout)
{
    public string NetworkPath { get; init; } = "";
    public string NetworkSha256 { get; init; } = "";
    public int? MaxSplits { get; init; }
    public int AttackRestarts { get; init; } = 8;
    public int Seed { get; init; } = 1;

    /// <summary>Optimise the slopes of the margins the plain pass leaves ≤ 0 (α-CROWN): `--optimize-slopes`; auto does
    /// it anyway (but not with <see cref="Certificate"/>: the certificate records one plane set, the plain one).</summary>
    public bool OptimizeSlopes { get; init; }

    /// <summary>Adam steps per optimised margin (`--slope-iterations`).</summary>
    public int SlopeIterations { get; init; } = TopOneEngine.DefaultSlopeIterations;

    /// <summary>Also build a checkable certificate of a verified or falsified answer (<see cref="TopOneEngine.RunWithCertificate"/>).</summary>
    public bool Certificate { get; init; }

    /// <summary>Misuse is an exception (exit 64 in the CLI).</summary>
    public void Validate()
    {
        if (Method != BoundMethods.Linear && Method != BoundMethods.Auto)
            throw new UsageException($"--top1 supports --method linear or auto, not {Method.Name}");
        if (MaxSplits is < 0) throw new UsageException("--max-splits must be ≥ 0");
        if (SlopeIterations < 1) throw new UsageException("--slope-iterations must be ≥ 1");
        if (AttackRestarts < 0) throw new UsageException("--attack-restarts must be ≥ 0");
        if (Network.OutputSize < 2) throw new UsageException("--top1 needs a network with at least two outputs");
    }
}
