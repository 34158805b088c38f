using Verify.Errors;
using Verify.Io;
using Verify.Results;

namespace Verify.Cli;

/// <summary>--witness-out: θ' of a witness as a native JSON network, so `verify eval` can re-check it independently.
/// Files are written at the edge, never by the engine.</summary>
public static class WitnessFile
{
    public static void Write(Witness w, string path) => NetworkFiles.Write(w.Perturbed, path, "json");

    /// <summary>The best replayed witness of a certify run.</summary>
    public static void WriteBest(CertifyResult result, string path) =>
        Write((result.SupLower ?? throw new UsageException("--witness-out needs the attack (--attack-restarts ≥ 1)")).Witness, path);
}
