using System.Text.Json.Nodes;

namespace Verify.Checker;

/// <summary>A certificate as the checker reads it: its own plain records, no engine types (docs/certificates.md).</summary>
internal sealed record CertificateInput(
    string NetworkPath, string NetworkSha256, double[] BoxLower, double[] BoxUpper, JsonObject Perturbation,
    double[]? Upper, double? Threshold, WitnessInput? Witness, IReadOnlyList<NodeInput> Nodes)
{
    /// <summary>Top-1 certificates: the class, the point where it is the nominal top class, the claimed margins.</summary>
    public TopOneInput? TopOne { get; init; }

    /// <summary>Equivalence certificates: the ε asked for; the report says whether the claimed bounds prove it.</summary>
    public double? Eps { get; init; }

    /// <summary>Claims Z3 closed: per (leaf, output) an SMT-LIB2 decision query a second solver re-decides.</summary>
    public IReadOnlyList<SmtInput> Smt { get; init; } = [];

    /// <summary>`--execution` answers: the recorded format and per-layer widening constants (checked, not trusted).</summary>
    public JsonObject? Execution { get; init; }

    /// <summary>`--method analytic` certificates: the claim is recomputed by the closed-form recursion (<see cref="AnalyticCheck"/>).</summary>
    public AnalyticInput? Analytic { get; init; }

    /// <summary>Outcome "symmetric": the claimed alignment of the second network onto the first (<see cref="SymmetryCheck"/>).</summary>
    public JsonObject? Symmetry { get; init; }

    /// <summary>`equiv --execution` answers: the format and the two embedded margin certificates (<see cref="PairExecutionCheck"/>).</summary>
    public JsonObject? PairExecution { get; init; }

    /// <summary>`equiv --top1 --execution` answers: the format and the second network's embedded top-1 execution
    /// certificate (<see cref="PairTopOneExecutionCheck"/>).</summary>
    public JsonObject? PairTopOneExecution { get; init; }
}

/// <summary>|Δf_Output| ≤ Bound on leaf <see cref="Node"/>, with the engine's query text and its SHA-256.</summary>
internal sealed record SmtInput(int Output, int Node, double Bound, string Sha256, string Query);

/// <summary>Class c is a top class of the nominal network at <see cref="At"/>; with <see cref="Margin"/> (bounded
/// certificates) the claim is y'_c − y'_j ≥ Margin[j] on the whole box for every rival j and admissible δ.</summary>
internal sealed record TopOneInput(int Class, double[] At, double[]? Margin)
{
    /// <summary>Top-1 equivalence certificates: the claimed lower bounds of the first (nominal) network's y_c − y_j.</summary>
    public double[]? NominalMargin { get; init; }
}

/// <summary>The engine's cap on Σ_j |δW_ij| on a norm ball's layer (an upper bound of √n·r, verified exactly), if any.</summary>
internal sealed record AnalyticInput(double? RowCap);

internal sealed record WitnessInput(int Output, double[] X, JsonNode Perturbed, double Value);

/// <summary>A node of the split tree; <see cref="Parent"/> is −1 for the root, else an earlier node.</summary>
internal sealed record NodeInput(int Parent, double[] Lower, double[] Upper, double[] Bound, IReadOnlyList<LayerInput> Layers)
{
    /// <summary>Top-1 certificates: the node's lower bound of y'_c − y'_j per rival j.</summary>
    public double[]? Margin { get; init; }

    /// <summary>Top-1 equivalence certificates: the node's lower bound of the nominal network's y_c − y_j per rival j.</summary>
    public double[]? NominalMargin { get; init; }
}

/// <summary>Pre-activation enclosures of one layer, and for a hidden layer the neurons with recorded planes and the
/// twelve plane arrays (parallel to them) in the order <see cref="CertificateReader.PlaneNames"/>.</summary>
internal sealed record LayerInput(double[] ZLo, double[] ZHi, double[] DLo, double[] DHi, double[] PLo, double[] PHi,
    int[]? PlaneNeurons, double[][]? Planes);
