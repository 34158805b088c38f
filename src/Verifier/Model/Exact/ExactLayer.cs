using Verify.Intervals;

namespace Verify.Model;

/// <summary>
/// One layer in exact rational parameters (values such as 1/3 that no double holds): the affine map W·h + b, then
/// <see cref="Activation"/> (ReLU unless set; a network of these layers sets its output layer's).
/// </summary>
public sealed record ExactLayer(Rational[][] W, Rational[] B) : IExactLayer
{
    public int Outputs => W.Length;
    public int Inputs => W.Length == 0 ? 0 : W[0].Length;

    public Activation Activation { get; init; } = Activation.Relu;

    public Rational[] PreActivationExact(IReadOnlyList<Rational> h) => Affine(h, withBias: true);

    public Rational[] LinearExact(IReadOnlyList<Rational> v) => Affine(v, withBias: false);

    private Rational[] Affine(IReadOnlyList<Rational> h, bool withBias)
    {
        var z = new Rational[Outputs];
        for (int i = 0; i < z.Length; i++)
        {
            Rational s = withBias ? B[i] : Rational.Zero;
            var row = W[i];
            for (int j = 0; j < row.Length; j++) if (!row[j].IsZero && !h[j].IsZero) s += row[j] * h[j];
            z[i] = s;
        }
        return z;
    }
}
