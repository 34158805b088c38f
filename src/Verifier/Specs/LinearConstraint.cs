using Verify.Intervals;

namespace Verify.Specs;

/// <summary>
/// Σ_j a_j·Y_j ≤ c (or &lt; c when <see cref="Strict"/>) over the network outputs, with exact rational coefficients
/// and bound, as written in the specification.
/// </summary>
public sealed record LinearConstraint(IReadOnlyDictionary<int, Rational> Coefficients, Rational Bound, bool Strict)
{
    /// <summary>Decides the constraint exactly at an output point.</summary>
    public bool HoldsAt(IReadOnlyList<Rational> y)
    {
        Rational s = Rational.Zero;
        foreach (var (j, a) in Coefficients) s += a * y[j];
        return Strict ? s < Bound : s <= Bound;
    }

    public override string ToString()
    {
        var terms = Coefficients.Where(kv => !kv.Value.IsZero).OrderBy(kv => kv.Key).Select(kv =>
            kv.Value == Rational.One ? $"Y_{kv.Key}" : kv.Value == -Rational.One ? $"-Y_{kv.Key}" : $"{Show(kv.Value)}*Y_{kv.Key}");
        return string.Join(" + ", terms).Replace("+ -", "- ", StringComparison.Ordinal) +
               (Strict ? " < " : " <= ") + Show(Bound);
    }

    /// <summary>A double when the rational is one, else "≈" and the nearest double (display only); beyond the double range, the side it lies on.</summary>
    private static string Show(Rational r)
    {
        double d = r.ToDouble();
        if (!double.IsFinite(d)) return d > 0 ? "(a number above 1.8E+308)" : "(a number below -1.8E+308)";
        string s = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return Rational.FromDouble(d) == r ? s : "≈" + s;
    }
}

/// <summary>
/// The output part of a VNNLIB file: a conjunction of clauses, each a disjunction of conjunctions of
/// <see cref="LinearConstraint"/>s. In the VNN-COMP convention the assertions describe the VIOLATION: an input
/// in the box whose output satisfies this property is a counterexample.
/// </summary>
public sealed record OutputProperty(IReadOnlyList<IReadOnlyList<IReadOnlyList<LinearConstraint>>> Clauses)
{
    public bool IsEmpty => Clauses.Count == 0;

    public bool HoldsAt(IReadOnlyList<Rational> y) =>
        Clauses.All(clause => clause.Any(conj => conj.All(c => c.HoldsAt(y))));

    public override string ToString() =>
        Clauses.Count == 0 ? "true"
        : string.Join(" and ", Clauses.Select(clause =>
            (clause.Count > 1 ? "(" : "") +
            string.Join(" or ", clause.Select(conj => conj.Count == 1 ? conj[0].ToString() : "(" + string.Join(" and ", conj) + ")")) +
            (clause.Count > 1 ? ")" : "")));

    public int ConstraintCount => Clauses.Sum(c => c.Sum(k => k.Count));
}
