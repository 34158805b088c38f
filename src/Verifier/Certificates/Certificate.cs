using Verify.Model;
using Verify.Specs;

namespace Verify.Certificates;

/// <summary>
/// A self-contained claim a separate checker (src/Verifier/Checker) re-validates without search or optimisation
/// (docs/certificates.md). Bounded: for every x in the box and every admissible δ, |f_j(x;θ+δ) − f_j(x;θ)| ≤
/// <see cref="Upper"/>[j], proved by the split tree <see cref="Nodes"/>, whose leaves cover the box. Falsified: <see cref="Witness"/> shows
/// a deviation above <see cref="Threshold"/>. <see cref="Perturbation"/> is null exactly for equivalence certificates,
/// whose δ is the parameter difference to <see cref="SecondNetwork"/>.
/// </summary>
public sealed record Certificate(
    string NetworkPath,
    string NetworkSha256,
    double[] BoxLower,
    double[] BoxUpper,
    PerturbationModel? Perturbation,
    string Method)
{
    /// <summary>Equivalence certificates (`equiv --certificate`): network B of the same architecture; the admissible δ is
    /// exactly θ_B − θ_A, so f(x; θ_A + δ) = f_B(x) and the claim bounds |f_B − f_A|.</summary>
    public SecondNetworkRef? SecondNetwork { get; init; }

    /// <summary>Equivalence certificates: the ε asked for (the checker says whether the claim proves it).</summary>
    public double? Eps { get; init; }

    /// <summary>The claimed bound per output: at least the engine's U and every leaf's bound.</summary>
    public double[]? Upper { get; init; }

    /// <summary>The engine's U for the same query, for comparison only: the checker ignores it.</summary>
    public double[]? EngineUpper { get; init; }

    public IReadOnlyList<NodeRecord> Nodes { get; init; } = [];

    /// <summary>For the norm-ball model: the engine's radius r ≥ ratio·‖W‖ of the ball (the checker verifies it exactly:
    /// r² ≥ ratio²·‖W‖_F², or for the spectral norm also through ‖W‖₁‖W‖∞ or r²·I − ratio²·WᵀW positive definite).</summary>
    public double? BallRadius { get; init; }

    public double? Threshold { get; init; }

    public WitnessRecord? Witness { get; init; }

    /// <summary>Top-1 certificates (`certify --top1`): the class and its claimed margins; the witness is then a flip
    /// (<see cref="WitnessRecord.Output"/> the rival).</summary>
    public TopOneClaim? TopOne { get; init; }

    /// <summary>Outputs whose claim Z3 closed (`--method z3`): each with its SMT-LIB2 decision query, expected unsat,
    /// which a second solver re-decides; the other outputs' claims rest on the split tree alone.</summary>
    public IReadOnlyList<SmtClaim> Smt { get; init; } = [];

    /// <summary>`--execution` answers: the format and each layer's widening constants (the checker recomputes them
    /// exactly and rejects a certificate whose recorded ones are smaller).</summary>
    public ExecutionRecord? Execution { get; init; }

    /// <summary>`--method analytic` answers: the claim rests on the closed-form recursion alone, which the checker
    /// recomputes exactly from the network, the box and the admissible set (no split tree, no nodes).</summary>
    public AnalyticRecord? Analytic { get; init; }

    /// <summary>Equivalence certificates of an exact symmetric copy (outcome "symmetric"): B is A with the hidden
    /// neurons permuted and rescaled by powers of two, so f_B = f_A exactly and every claimed bound is 0.</summary>
    public SymmetryRecord? Symmetry { get; init; }

    /// <summary>`equiv --eps E --execution F` (docs/certificates.md): this certificate's tree bounds the real-valued
    /// pair |f2 − f1|, and the record adds each network's own floating-point margin |f_i′ − f_i| as a certify
    /// `--execution` certificate with no user perturbation, so that |f2′ − f1′| ≤ the per-output sum.</summary>
    public PairExecutionRecord? PairExecution { get; init; }

    /// <summary>`equiv --top1 --execution F` (docs/certificates.md): this certificate is the first network's
    /// `certify --top1 --execution F` certificate with no user perturbation, and the record embeds the second network's;
    /// both proving one class c means every F-evaluation of either network has c as its unique top class on the box.</summary>
    public PairTopOneExecutionRecord? PairTopOneExecution { get; init; }
}

/// <summary>The constant of the analytic recursion a checker cannot recompute exactly: on a norm ball's layer each row of
/// δW has 2-norm ≤ r, so Σ_j |δW_ij| ≤ √n·r, and <see cref="RowCap"/> is the engine's upper bound of √n·r (a checker
/// verifies RowCap² ≥ n·r² exactly). Null without a norm ball.</summary>
public sealed record AnalyticRecord(double? RowCap);

/// <summary>The format F both networks run in, the claimed bound of |f2′ − f1′| per output (at least the pair's
/// `upper` plus both margins, rounded up), and the two margin certificates (first network, second network).</summary>
public sealed record PairExecutionRecord(string Format, double[]? Upper, Certificate First, Certificate Second);

/// <summary>The format F both networks run in and the second network's top-1 execution certificate.</summary>
public sealed record PairTopOneExecutionRecord(string Format, Certificate Second);

/// <summary>Per hidden layer l: A's neuron i is B's neuron Permutation[l][i], its incoming weights and bias multiplied
/// by 2^ScaleExponent[l][i] and its outgoing weights divided by it.</summary>
public sealed record SymmetryRecord(int[][] Permutation, int[][] ScaleExponent);

/// <summary>The floating-point format an `--execution` answer covers, and the widening per layer (upper bounds).</summary>
public sealed record ExecutionRecord(string Format, IReadOnlyList<LayerWidening> Layers);

/// <summary>The claim |Δf_j| ≤ <see cref="Bound"/> for output j on one leaf's box, as the self-contained SMT-LIB2 query
/// <see cref="Query"/> ("|Δf_j| &gt; Bound", expected unsat, in <see cref="Logic"/>) that Z3 decided unsat.</summary>
public sealed record SmtClaim(int Output, double Bound, string Logic, string Query)
{
    /// <summary>The leaf of the split tree whose box (and recorded enclosures) the query is about.</summary>
    public int Node { get; init; }

    public string Sha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Query)));
}

/// <summary>Class c, the nominal network's top class at <see cref="At"/> (a point of the box); for a verified answer
/// <see cref="Margin"/>[j] ≤ y'_c − y'_j on the whole box for every admissible δ (the entry of c is 0 and means
/// nothing).</summary>
public sealed record TopOneClaim(int Class, double[] At)
{
    public double[]? Margin { get; init; }

    /// <summary>Top-1 equivalence certificates (`equiv --top1`): NominalMargin[j] ≤ y_c − y_j of the first network on
    /// the whole box (and <see cref="Margin"/> the second's); both ≥ 0 means c is a top class of both everywhere.</summary>
    public double[]? NominalMargin { get; init; }
}

/// <summary>The second network's file as given and the SHA-256 of its bytes, which the checker verifies.</summary>
public sealed record SecondNetworkRef(string Path, string Sha256)
{
    /// <summary>The two networks differ in architecture: the certificate is about the merged pair the checker builds
    /// itself from the two files (Equivalence/MergedPair), the network its merged first, δ the merged difference.</summary>
    public bool Merged { get; init; }
}

/// <summary>A falsifying witness: output j, input x and perturbed network θ'; <see cref="Value"/> is a double at most
/// the exact |f_j(x;θ') − f_j(x;θ)|.</summary>
public sealed record WitnessRecord(int Output, double[] X, Network Perturbed, double Value);
