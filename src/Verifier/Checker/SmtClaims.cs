using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Checker;

/// <summary>
/// The claims Z3 closed (docs/certificates.md, "Z3's answers"): per (leaf, output) the checker writes its own query
/// (<see cref="SmtQuery"/>, from the exact network, the exact admissible set and the leaf's checked enclosures) and has
/// cvc5 decide it. Unsat proves the claim on the leaf; sat refutes the certificate; without cvc5, or with an unknown
/// answer, the report stays undecided (exit 2), never valid. The recorded query text must match its SHA-256, and the
/// report says whether it is the checker's own query byte for byte (it is whenever the admissible set is a box of
/// doubles, as for absolute ε) — the solver decides the checker's query either way.
/// </summary>
internal static class SmtClaims
{
    public static CheckReport Decide(CheckReport report, IReadOnlyList<SmtInput> queries, ExactNetwork net, ExactParameters delta,
                                     IReadOnlyList<NodeInput> nodes, string? cvc5, TimeSpan limit)
    {
        int identical = 0;
        var own = new List<(SmtInput Claim, string Text)>();
        foreach (var q in queries)
        {
            string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(q.Query)));
            if (!sha.Equals(q.Sha256, StringComparison.OrdinalIgnoreCase))
                return CheckReport.Invalid($"the SMT-LIB2 query of node {q.Node}, output {q.Output} does not match its SHA-256", report.Leaves);
            string text = SmtQuery.Write(net, delta, nodes[q.Node], q.Output, q.Bound);
            if (text == q.Query) identical++;
            own.Add((q, text));
        }
        string recorded = identical == queries.Count ? "each identical to the recorded one"
            : $"{identical} of them identical to the recorded one (the others differ in the admissible set's rounding)";
        var solver = SecondSolver.Find(cvc5);
        if (solver is null)
            return report with
            {
                Message = report.Message + $"; {queries.Count} claims rest on Z3's answers, which were NOT re-decided: cvc5 is not installed ({cvc5 ?? "not on PATH"}; apt-get install cvc5)",
                Undecided = "cvc5 not installed",
            };
        int unknown = 0;
        foreach (var (q, text) in own)
        {
            var answer = solver.Decide(text, limit);
            if (answer == SolverAnswer.Sat)
                return CheckReport.Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"node {q.Node} (a leaf), output {q.Output}: {solver.Version} finds a point with |Δf| > {q.Bound:R} (the query is sat): the claim is false"), report.Leaves);
            if (answer == SolverAnswer.Unknown) unknown++;
        }
        string summary = $"{queries.Count} SMT-LIB2 queries of Z3's claims ({recorded})";
        return unknown == 0
            ? report with { Message = report.Message + $"; {summary} re-decided unsat by {solver.Version}" }
            : report with
            {
                Message = report.Message + $"; of {summary}, {unknown} were NOT re-decided: {solver.Version} answered unknown within {limit.TotalSeconds:G4} s",
                Undecided = $"{unknown} queries unknown",
            };
    }
}
