using Verify.Intervals;

namespace Verify.Checker;

/// <summary>
/// The region of one neuron's (z, Δz) with z ∈ [l, u], Δz ∈ [dl, du], z' = z + Δz ∈ [lp, up], cut into the pieces on
/// which σ(z) and σ(z') are linear by z = 0 and z' = 0. Every vertex of every piece is the meeting point of two of these
/// eight lines that lies in the region, so a function linear on each piece (a plane minus Δh = σ(z') − σ(z)) takes its
/// extremes among the points returned here.
/// </summary>
internal static class PieceVertices
{
    public static List<(Rational Z, Rational D)> Of(Rational l, Rational u, Rational dl, Rational du, Rational lp, Rational up)
    {
        Rational[] zs = [l, u, Rational.Zero], ds = [dl, du], ps = [lp, up, Rational.Zero];
        var candidates = new List<(Rational, Rational)>();
        foreach (var z in zs)
        {
            foreach (var d in ds) candidates.Add((z, d));
            foreach (var p in ps) candidates.Add((z, p - z));
        }
        foreach (var d in ds)
            foreach (var p in ps) candidates.Add((p - d, d));
        return candidates.Where(c => l <= c.Item1 && c.Item1 <= u && dl <= c.Item2 && c.Item2 <= du
                                     && lp <= c.Item1 + c.Item2 && c.Item1 + c.Item2 <= up).ToList();
    }
}
