using Verify.Intervals;

namespace Verify.InverseStability;

/// <summary>
/// An input box read exactly, split into its free coordinates (lo &lt; hi) and its fixed ones (lo = hi). The Jacobian
/// distance is taken on the box's relative interior, i.e. for the restriction of the networks to the affine hull of the
/// box: derivatives with respect to the free coordinates only. For a full-dimensional box that is the plain Jacobian.
/// </summary>
public sealed class BoxSlice
{
    public Box Box { get; }
    public Rational[] Lo { get; }
    public Rational[] Hi { get; }

    /// <summary>Indices of the free input coordinates, in order: column k of a sliced Jacobian is ∂/∂x_{Free[k]}.</summary>
    public int[] Free { get; }

    public BoxSlice(Box box)
    {
        Box = box;
        Lo = box.Lower.Select(Rational.FromDouble).ToArray();
        Hi = box.Upper.Select(Rational.FromDouble).ToArray();
        Free = Enumerable.Range(0, box.Dimension).Where(k => Lo[k] < Hi[k]).ToArray();
    }

    public int InputSize => Box.Dimension;
    public int FreeCount => Free.Length;

    public Rational[] FreeLo => Free.Select(k => Lo[k]).ToArray();
    public Rational[] FreeHi => Free.Select(k => Hi[k]).ToArray();

    /// <summary>The full input for a point of the free coordinates.</summary>
    public Rational[] Embed(IReadOnlyList<Rational> free)
    {
        var x = (Rational[])Lo.Clone();
        for (int k = 0; k < Free.Length; k++) x[Free[k]] = free[k];
        return x;
    }

    /// <summary>The free coordinates of a full input.</summary>
    public Rational[] Restrict(IReadOnlyList<Rational> x) => Free.Select(k => x[k]).ToArray();

    /// <summary>Every input coordinate as an affine form of the free ones (a unit vector, or the fixed value).</summary>
    public AffineForm[] InputForms()
    {
        var forms = new AffineForm[InputSize];
        for (int i = 0; i < InputSize; i++)
        {
            var a = new Rational[FreeCount];
            for (int k = 0; k < FreeCount; k++) a[k] = Free[k] == i ? Rational.One : Rational.Zero;
            bool free = Array.IndexOf(Free, i) >= 0;
            forms[i] = new AffineForm(a, free ? Rational.Zero : Lo[i]);
        }
        return forms;
    }

    /// <summary>The centre of the free coordinates: a strictly interior point of the (relative) box.</summary>
    public Rational[] FreeCentre() => Free.Select(k => (Lo[k] + Hi[k]) / 2).ToArray();
}
