namespace Verify.Model;

/// <summary>
/// The input/output normalisation carried by .nnet files: x ↦ (clamp(x, min, max) − mean)/range on the
/// inputs, y ↦ y·outputRange + outputMean on the outputs. Kept as metadata; the raw network is the default.
/// </summary>
public sealed record Normalization(
    double[] InputMin, double[] InputMax, double[] InputMean, double[] InputRange,
    double OutputMean, double OutputRange)
{
    public double[] NormalizeInput(ReadOnlySpan<double> x)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            r[i] = (Math.Clamp(x[i], InputMin[i], InputMax[i]) - InputMean[i]) / InputRange[i];
        return r;
    }

    public double DenormalizeOutput(double y) => y * OutputRange + OutputMean;

    public Verify.Intervals.Rational[] NormalizeInput(Verify.Intervals.Rational[] x)
    {
        var r = new Verify.Intervals.Rational[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var lo = Verify.Intervals.Rational.FromDouble(InputMin[i]);
            var hi = Verify.Intervals.Rational.FromDouble(InputMax[i]);
            var c = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
            r[i] = (c - Verify.Intervals.Rational.FromDouble(InputMean[i])) / Verify.Intervals.Rational.FromDouble(InputRange[i]);
        }
        return r;
    }

    public Verify.Intervals.Rational DenormalizeOutput(Verify.Intervals.Rational y) =>
        y * Verify.Intervals.Rational.FromDouble(OutputRange) + Verify.Intervals.Rational.FromDouble(OutputMean);
}
