using System.Globalization;
using Microsoft.Z3;
using Z3Model = Microsoft.Z3.Model;
using Verify.Intervals;

namespace Verify.Smt;

/// <summary>
/// Exact conversions between our numbers and Z3 terms. A double becomes the rational it denotes, read
/// from its bits (Rational.FromDouble), and reaches Z3 as an integer ratio "p/q" — never as a decimal
/// string of the double, which would be a different number for most doubles.
/// </summary>
public static class ExactTerms
{
    public static RatNum Real(Context ctx, Rational value) =>
        ctx.MkReal(value.Numerator.ToString(CultureInfo.InvariantCulture) + "/" +
                   value.Denominator.ToString(CultureInfo.InvariantCulture));

    public static RatNum Real(Context ctx, double value) => Real(ctx, Rational.FromDouble(value));

    /// <summary>Σ coefficients[i]·terms[i] + constant, with zero coefficients left out.</summary>
    public static ArithExpr Affine(Context ctx, IReadOnlyList<Rational> coefficients, IReadOnlyList<ArithExpr> terms, Rational constant)
    {
        var parts = new List<ArithExpr>(terms.Count + 1);
        for (int i = 0; i < terms.Count; i++)
        {
            var c = coefficients[i];
            if (c.IsZero) continue;
            parts.Add(c == Rational.One ? terms[i] : ctx.MkMul(Real(ctx, c), terms[i]));
        }
        if (!constant.IsZero || parts.Count == 0) parts.Add(Real(ctx, constant));
        return parts.Count == 1 ? parts[0] : ctx.MkAdd(parts);
    }

    /// <summary>
    /// The value of a Z3 numeral. Rational numerals (Z3 prints "p/q" or an integer) are exact. An
    /// algebraic (irrational) number is not: it comes back as an enclosure [Lower, Upper] with
    /// IsExact = false. Anything else (an uninterpreted value) yields null.
    /// </summary>
    public static ModelValue? ToModelValue(Expr value)
    {
        if (value is RatNum rat) return ModelValue.Exact(ParseNumeral(rat.ToString()));
        if (value is IntNum integer) return ModelValue.Exact(ParseNumeral(integer.ToString()));
        if (value is AlgebraicNum alg)
        {
            using var lo = alg.ToLower(40);
            using var hi = alg.ToUpper(40);
            return new ModelValue(ParseNumeral(lo.ToString()), ParseNumeral(hi.ToString()), false);
        }
        return null;
    }

    /// <summary>Evaluates <paramref name="term"/> in the model (with completion) and converts it exactly.</summary>
    public static ModelValue? Evaluate(Z3Model model, Expr term)
    {
        using var v = model.Eval(term, true);
        return ToModelValue(v);
    }

    /// <summary>Parses Z3's numeral text: an integer or "p/q" (optionally negative); no decimals.</summary>
    public static Rational ParseNumeral(string text)
    {
        text = text.Trim();
        if (text.Length == 0 || text.Contains('.') || text.Contains('e') || text.Contains('?'))
            throw new FormatException($"not an exact Z3 numeral: '{text}'");
        return Rational.Parse(text);
    }
}

/// <summary>A model value: exact (Lower = Upper) or, for an algebraic number, a rational enclosure.</summary>
public readonly record struct ModelValue(Rational Lower, Rational Upper, bool IsExact)
{
    public static ModelValue Exact(Rational v) => new(v, v, true);

    /// <summary>The exact value; throws for an approximate one, which must never pass as exact.</summary>
    public Rational Value => IsExact ? Lower : throw new InvalidOperationException("the model value is algebraic (irrational); only an enclosure is known");
}
