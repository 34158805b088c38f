using Verify.Errors;
using Verify.Io;
using Verify.Model;

namespace Verify.Checker;

/// <summary>What every witness must satisfy before it is replayed: x inside the certificate's box, and θ′ a network of
/// the same architecture whose difference to θ lies in the admissible set (decided exactly).</summary>
internal static class WitnessAdmission
{
    /// <summary>The perturbed network, or null and the reason the witness is not admissible.</summary>
    public static (Network? Perturbed, string? Why) Check(CertificateInput cert, WitnessInput w, Network network, ExactParameters delta)
    {
        for (int i = 0; i < w.X.Length; i++)
            if (w.X[i] < cert.BoxLower[i] || w.X[i] > cert.BoxUpper[i]) return (null, $"witness: x[{i}] lies outside the box");
        Network perturbed;
        try { perturbed = JsonNetworkFormat.FromNode("witness.perturbed", w.Perturbed); }
        catch (BadInputException e) { return (null, "witness: " + e.Message); }
        if (delta.Rejects(network, perturbed) is { } why) return (null, "witness: " + why);
        return (perturbed, null);
    }
}
