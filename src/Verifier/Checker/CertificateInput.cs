using System.Text.Json.Nodes;

namespace Verify.Checker;

/// <summary>A certificate as the checker reads it: its own plain records, no engine types (docs/certificates.md).</summary>
internal sealed record CertificateInput(
    string NetworkPath, string NetworkSha256, double[] BoxLower, double[] BoxUpper, JsonObject Perturbation,
    double[]? Upper, double? Threshold, WitnessInput? Witness, IReadOnlyList<NodeInput> Nodes);

internal sealed record WitnessInput(int Output, double[] X, JsonNode Perturbed, double Value);

/// <summary>A node of the split tree; <see cref="Parent"/> is −1 for the root, else an earlier node.</summary>
internal sealed record NodeInput(int Parent, double[] Lower, double[] Upper, double[] Bound, IReadOnlyList<LayerInput> Layers);

/// <summary>Pre-activation enclosures of one layer, and for a hidden layer the neurons with recorded planes and the
/// twelve plane arrays (parallel to them) in the order <see cref="CertificateReader.PlaneNames"/>.</summary>
internal sealed record LayerInput(double[] ZLo, double[] ZHi, double[] DLo, double[] DHi, double[] PLo, double[] PHi,
    int[]? PlaneNeurons, double[][]? Planes);
