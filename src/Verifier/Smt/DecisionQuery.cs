using System.Globalization;
using System.Text;
using Microsoft.Z3;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Smt;

/// <summary>
/// A certified maximum of the output deviation turned into a self-contained SMT-LIB2 decision problem that any solver
/// can re-decide: "is there x in the box and an admissible δ with |f_j(x; θ+δ) − f_j(x; θ)| &gt; U?", whose expected
/// answer is unsat (docs/certificates.md, "Z3's answers"). Every number is the exact rational its double denotes.
/// Unlike the maximiser's encodings it carries no engine-derived neuron bounds (nothing a second solver would have to
/// trust), and it is linear real arithmetic whatever moves: each perturbed weight δW_ji appears in exactly one product
/// δW_ji·h′_i, and {δ·v : δ ∈ [lo, hi]} is the interval between lo·v and hi·v, so the product is replaced by a fresh
/// t_ji between them — the existential projection of δW_ji, exact, and linear in v. Only standard QF_LRA syntax.
/// </summary>
public static class DecisionQuery
{
    public const string Logic = "QF_LRA";

    /// <summary>The query for output <paramref name="output"/> and claim |Δf_j| ≤ <paramref name="bound"/>; null when the
    /// network or the parameter set cannot be written (a norm ball, an activation that is not piecewise linear).</summary>
    /// <param name="enclosures">Optional bounds of z, Δz = z′ − z and z′ per layer and neuron on the box (the
    /// certificate's root node, which the checker verifies before it uses them), asserted as redundant facts that let a
    /// solver fix the phase of stable neurons; without them the query is the bare network.</param>
    public static string? Write(Network net, Box box, ParameterBox delta, int output, double bound,
                                IReadOnlyList<Certificates.LayerRecord>? enclosures = null)
    {
        if (delta.Ball is not null || !double.IsFinite(bound) || bound < 0) return null;
        if (net.Layers.Any(l => !l.Activation.IsPiecewiseLinearWithKink && !l.Activation.Operator.IsIdentity)) return null;
        var s = new StringBuilder();
        s.Append("; verify decision query: is |f_").Append(output).Append("(x; theta + delta) - f_").Append(output)
         .Append("(x; theta)| > ").Append(bound.ToString("R", CultureInfo.InvariantCulture)).Append(" possible?\n");
        s.Append("; expected: unsat (the claimed bound holds)\n");
        s.Append("(set-logic ").Append(Logic).Append(")\n");
        var nominal = new string[net.InputSize];
        for (int i = 0; i < nominal.Length; i++)
        {
            nominal[i] = $"x{i}";
            Declare(s, nominal[i]);
            s.Append("(assert (and (<= ").Append(Num(box[i].Lo)).Append(' ').Append(nominal[i]).Append(") (<= ")
             .Append(nominal[i]).Append(' ').Append(Num(box[i].Hi)).Append(")))\n");
        }
        string[] h = nominal, hp = nominal;
        bool nonnegative = false;
        for (int l = 0; l < net.Depth; l++)
        {
            var layer = net.Layers[l];
            var pb = delta.Layers[l];
            var kink = layer.Activation.Operator.Kink;
            bool identity = layer.Activation.Operator.IsIdentity;
            var next = new string[layer.Outputs];
            var nextP = new string[layer.Outputs];
            // Nothing moved yet: the perturbed copy is the nominal one.
            bool same = ReferenceEquals(h, hp) && pb.IsZero;
            var e = enclosures?[l];
            for (int i = 0; i < layer.Outputs; i++)
            {
                if (same)
                {
                    next[i] = Neuron(s, $"z{l}_{i}", $"h{l}_{i}", Sum(layer, i, h), identity, kink, e?.ZLo[i], e?.ZHi[i]);
                    continue;
                }
                var zSum = Sum(layer, i, h);
                var zpSum = Sum(layer, i, hp);
                if (pb.BiasLo[i] != 0 || pb.BiasHi[i] != 0)
                {
                    string db = $"db{l}_{i}";
                    Declare(s, db);
                    s.Append("(assert (and (<= ").Append(Num(pb.BiasLo[i])).Append(' ').Append(db).Append(") (<= ").Append(db).Append(' ')
                     .Append(Num(pb.BiasHi[i])).Append(")))\n");
                    zpSum.Add(db);
                }
                for (int j = 0; j < layer.Inputs; j++)
                {
                    int k = i * layer.Inputs + j;
                    if (pb.WeightLo[k] == 0 && pb.WeightHi[k] == 0) continue;
                    string t = $"t{l}_{i}_{j}";
                    Declare(s, t);
                    string lo = $"(* {Num(pb.WeightLo[k])} {hp[j]})", hi = $"(* {Num(pb.WeightHi[k])} {hp[j]})";
                    string up = $"(and (<= {lo} {t}) (<= {t} {hi}))", down = $"(and (<= {hi} {t}) (<= {t} {lo}))";
                    // t = δ·h′ for some δ in [lo, hi]: between lo·h′ and hi·h′, in this order when h′ ≥ 0.
                    s.Append("(assert ").Append(nonnegative ? up : $"(ite (>= {hp[j]} 0) {up} {down})").Append(")\n");
                    zpSum.Add(t);
                }
                next[i] = Neuron(s, $"z{l}_{i}", $"h{l}_{i}", zSum, identity, kink, e?.ZLo[i], e?.ZHi[i]);
                nextP[i] = Neuron(s, $"zp{l}_{i}", $"hp{l}_{i}", zpSum, identity, kink, e?.PLo[i], e?.PHi[i]);
                if (e is not null) Range(s, $"(- zp{l}_{i} z{l}_{i})", e.DLo[i], e.DHi[i]);
            }
            h = next;
            hp = same ? next : nextP;
            nonnegative = !identity && kink.N == 0 && kink.P >= 0;
        }
        string dev = $"(- {hp[output]} {h[output]})", u = Num(bound);
        s.Append("; the negated claim\n");
        s.Append("(assert (or (> ").Append(dev).Append(' ').Append(u).Append(") (< ").Append(dev).Append(" (- ").Append(u).Append("))))\n");
        s.Append("(check-sat)\n(exit)\n");
        return s.ToString();
    }

    /// <summary>
    /// Z3's own answer to a query text (parsed back with Z3's SMT-LIB2 parser) within a time limit: the engine records a
    /// query only when Z3 re-decides this very text as unsat.
    /// </summary>
    public static SmtStatus Decide(string smt2, TimeSpan timeout, CancellationToken cancel = default)
    {
        using var session = new SolverSession(timeout, cancel, logic: Logic);
        var facts = session.Context.ParseSMTLIB2String(smt2);
        session.Assert(facts);
        return session.Check().Status;
    }

    /// <summary>b_i + Σ_j W_ij·in_j, zero weights left out.</summary>
    private static List<string> Sum(DenseLayer layer, int i, string[] input)
    {
        var sum = new List<string> { Num(layer.B(i)) };
        for (int j = 0; j < layer.Inputs; j++)
            if (layer.W(i, j) is var w && w != 0) sum.Add($"(* {Num(w)} {input[j]})");
        return sum;
    }

    private static void Range(StringBuilder s, string term, double lo, double hi) =>
        s.Append("(assert (and (<= ").Append(Num(lo)).Append(' ').Append(term).Append(") (<= ").Append(term).Append(' ').Append(Num(hi)).Append(")))\n");

    private static void Declare(StringBuilder s, string name) => s.Append("(declare-fun ").Append(name).Append(" () Real)\n");

    /// <summary>z = Σ, h = σ(z) (ReLU and leaky ReLU as an ite on the sign of z); returns h's name.</summary>
    private static string Neuron(StringBuilder s, string z, string h, List<string> sum, bool identity, Kink kink, double? lo, double? hi)
    {
        Declare(s, z);
        s.Append("(assert (= ").Append(z).Append(' ').Append(sum.Count == 1 ? sum[0] : "(+ " + string.Join(' ', sum) + ")").Append("))\n");
        if (lo is { } l && hi is { } u) Range(s, z, l, u);
        if (identity) return z;
        Declare(s, h);
        s.Append("(assert (= ").Append(h).Append(" (ite (>= ").Append(z).Append(" 0) ").Append(Scaled(kink.P, z)).Append(' ')
         .Append(Scaled(kink.N, z)).Append(")))\n");
        return h;
    }

    private static string Scaled(double c, string v) => c == 1 ? v : c == 0 ? "0" : $"(* {Num(c)} {v})";

    /// <summary>The exact rational of a double in SMT-LIB2: an integer, or (/ p q), negated with (- …).</summary>
    public static string Num(double v) => Num(Rational.FromDouble(v));

    public static string Num(Rational r)
    {
        var abs = Rational.Abs(r);
        string a = abs.Denominator.IsOne
            ? abs.Numerator.ToString(CultureInfo.InvariantCulture)
            : $"(/ {abs.Numerator.ToString(CultureInfo.InvariantCulture)} {abs.Denominator.ToString(CultureInfo.InvariantCulture)})";
        return r.Sign < 0 ? $"(- {a})" : a;
    }
}
