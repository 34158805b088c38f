using System.Globalization;
using System.Text;
using Verify.Intervals;

namespace Verify.Checker;

/// <summary>
/// The checker's own SMT-LIB2 rendering of a claim the certificate hands to a second solver: "is there x in the leaf's
/// box and an admissible δ with |f_j(x; θ+δ) − f_j(x; θ)| &gt; bound?" (QF_LRA, expected unsat). Written here from the
/// exact network and the exact admissible set, not read from the certificate, so a solver's unsat is about this
/// network and this claim whatever the recorded query says. Each perturbed weight δ_ji occurs in one product δ_ji·h′_i
/// only, and {δ·v : δ ∈ [lo, hi]} is the interval between lo·v and hi·v: a fresh t_ji between them is δ projected away
/// exactly, and linear. σ(z) = ite(z ≥ 0, P·z, N·z). The leaf's enclosures of z, z′ and z′ − z enter as facts: the
/// node check has already shown them to hold on the leaf's box.
/// </summary>
internal static class SmtQuery
{
    public static string Write(ExactNetwork net, ExactParameters delta, NodeInput leaf, int output, double bound)
    {
        var s = new StringBuilder();
        s.Append("; verify decision query: is |f_").Append(output).Append("(x; theta + delta) - f_").Append(output)
         .Append("(x; theta)| > ").Append(bound.ToString("R", CultureInfo.InvariantCulture)).Append(" possible?\n");
        s.Append("; expected: unsat (the claimed bound holds)\n(set-logic QF_LRA)\n");
        int n = leaf.Lower.Length;
        var h = new string[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = "x" + i;
            Var(s, h[i]);
            Within(s, h[i], Rational.FromDouble(leaf.Lower[i]), Rational.FromDouble(leaf.Upper[i]));
        }
        var hp = h;
        bool nonnegative = false;
        for (int k = 0; k < net.Depth; k++)
        {
            bool identity = net.P[k] == Rational.One && net.N[k] == Rational.One;
            bool moves = Moves(delta.WLo[k]) || Moves(delta.WHi[k]) || Moves(delta.BLo[k]) || Moves(delta.BHi[k]);
            bool shared = ReferenceEquals(h, hp) && !moves;
            var e = leaf.Layers[k];
            var next = new string[net.Outputs[k]];
            var nextP = new string[net.Outputs[k]];
            for (int i = 0; i < next.Length; i++)
            {
                if (shared)
                {
                    next[i] = Neuron(s, k, i, "z", "h", Affine(net, k, i, h), identity, net, e.ZLo[i], e.ZHi[i]);
                    continue;
                }
                var zp = Affine(net, k, i, hp);
                if (!delta.BLo[k][i].IsZero || !delta.BHi[k][i].IsZero)
                {
                    string db = $"db{k}_{i}";
                    Var(s, db);
                    Within(s, db, delta.BLo[k][i], delta.BHi[k][i]);
                    zp.Add(db);
                }
                for (int j = 0; j < net.Inputs[k]; j++)
                {
                    int w = i * net.Inputs[k] + j;
                    if (delta.WLo[k][w].IsZero && delta.WHi[k][w].IsZero) continue;
                    string t = $"t{k}_{i}_{j}";
                    Var(s, t);
                    string lo = $"(* {Num(delta.WLo[k][w])} {hp[j]})", hi = $"(* {Num(delta.WHi[k][w])} {hp[j]})";
                    string up = $"(and (<= {lo} {t}) (<= {t} {hi}))", down = $"(and (<= {hi} {t}) (<= {t} {lo}))";
                    s.Append("(assert ").Append(nonnegative ? up : $"(ite (>= {hp[j]} 0) {up} {down})").Append(")\n");
                    zp.Add(t);
                }
                next[i] = Neuron(s, k, i, "z", "h", Affine(net, k, i, h), identity, net, e.ZLo[i], e.ZHi[i]);
                nextP[i] = Neuron(s, k, i, "zp", "hp", zp, identity, net, e.PLo[i], e.PHi[i]);
                Within(s, $"(- zp{k}_{i} z{k}_{i})", Rational.FromDouble(e.DLo[i]), Rational.FromDouble(e.DHi[i]));
            }
            h = next;
            hp = shared ? next : nextP;
            nonnegative = !identity && net.N[k].IsZero && net.P[k].Sign >= 0;
        }
        string dev = $"(- {hp[output]} {h[output]})", u = Num(Rational.FromDouble(bound));
        s.Append("; the negated claim\n");
        s.Append("(assert (or (> ").Append(dev).Append(' ').Append(u).Append(") (< ").Append(dev).Append(" (- ").Append(u).Append("))))\n");
        s.Append("(check-sat)\n(exit)\n");
        return s.ToString();
    }

    private static bool Moves(Rational[] v) => v.Any(r => !r.IsZero);

    /// <summary>The terms of b_i + Σ_j W_ij·in_j, zero weights left out.</summary>
    private static List<string> Affine(ExactNetwork net, int k, int i, string[] input)
    {
        var terms = new List<string> { Num(net.B[k][i]) };
        for (int j = 0; j < net.Inputs[k]; j++)
        {
            var w = net.W[k][i * net.Inputs[k] + j];
            if (!w.IsZero) terms.Add($"(* {Num(w)} {input[j]})");
        }
        return terms;
    }

    private static string Neuron(StringBuilder s, int k, int i, string zName, string hName, List<string> terms, bool identity, ExactNetwork net,
                                 double lo, double hi)
    {
        string z = $"{zName}{k}_{i}", h = $"{hName}{k}_{i}";
        Var(s, z);
        s.Append("(assert (= ").Append(z).Append(' ').Append(terms.Count == 1 ? terms[0] : "(+ " + string.Join(' ', terms) + ")").Append("))\n");
        Within(s, z, Rational.FromDouble(lo), Rational.FromDouble(hi));
        if (identity) return z;
        Var(s, h);
        s.Append("(assert (= ").Append(h).Append(" (ite (>= ").Append(z).Append(" 0) ").Append(Times(net.P[k], z)).Append(' ')
         .Append(Times(net.N[k], z)).Append(")))\n");
        return h;
    }

    private static string Times(Rational c, string v) => c == Rational.One ? v : c.IsZero ? "0" : $"(* {Num(c)} {v})";

    private static void Var(StringBuilder s, string name) => s.Append("(declare-fun ").Append(name).Append(" () Real)\n");

    private static void Within(StringBuilder s, string term, Rational lo, Rational hi) =>
        s.Append("(assert (and (<= ").Append(Num(lo)).Append(' ').Append(term).Append(") (<= ").Append(term).Append(' ').Append(Num(hi)).Append(")))\n");

    /// <summary>An exact rational in SMT-LIB2: p, (/ p q), negated as (- …).</summary>
    public static string Num(Rational r)
    {
        var a = Rational.Abs(r);
        string text = a.Denominator.IsOne ? a.Numerator.ToString(CultureInfo.InvariantCulture)
            : $"(/ {a.Numerator.ToString(CultureInfo.InvariantCulture)} {a.Denominator.ToString(CultureInfo.InvariantCulture)})";
        return r.Sign < 0 ? $"(- {text})" : text;
    }
}
