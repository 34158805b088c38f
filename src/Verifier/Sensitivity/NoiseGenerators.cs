using Verify.Model;
using Verify.Specs;

namespace Verify.Sensitivity;

/// <summary>The random generators that draw a <see cref="NoiseSpec"/>'s noise, one per noisy layer.</summary>
public static class NoiseGenerators
{
    /// <summary>The norm ‖W‖ the ratio refers to (Frobenius exactly in double, spectral by power iteration).</summary>
    public static double MatrixNormOf(DenseLayer w, MatrixNorm norm) => norm == MatrixNorm.Frobenius
        ? Math.Sqrt(w.Weights.ToArray().Sum(v => v * v))
        : PowerIteration.SpectralNorm(w.Weights.ToArray(), w.Outputs, w.Inputs);

    /// <summary>One generator per layer (null where the layer is fixed).</summary>
    public static LayerNoise?[] Build(this NoiseSpec noise, Network net)
    {
        noise.Validate(net);
        var r = new LayerNoise?[net.Depth];
        foreach (var l in noise.Layers)
        {
            var w = net.Layers[l];
            int m = w.Outputs, n = w.Inputs;
            r[l] = noise.Kind switch
            {
                NoiseKind.NormRatio => NormNoise(noise, l, w, m, n),
                NoiseKind.Absolute => new BoxLayerNoise(l, m, n, Filled(m * n, noise.Eps), Filled(m, noise.Eps)),
                _ => new BoxLayerNoise(l, m, n, w.Weights.ToArray().Select(v => noise.Eps * Math.Abs(v)).ToArray(),
                                       w.Bias.ToArray().Select(v => noise.Eps * Math.Abs(v)).ToArray()),
            };
        }
        return r;
    }

    private static LayerNoise NormNoise(NoiseSpec noise, int l, DenseLayer w, int m, int n)
    {
        // A relative 1e-12 shrink keeps the drawn η inside the sound enclosing box of the ball despite rounding.
        double radius = noise.Ratio * MatrixNormOf(w, noise.Norm) * (1 - 1e-12);
        if (noise.Distribution == NoiseDistribution.Gaussian)
        {
            double sigma = noise.Norm == MatrixNorm.Frobenius ? radius / Math.Sqrt((double)m * n) : radius / (Math.Sqrt(m) + Math.Sqrt(n));
            return new GaussianLayerNoise(l, m, n, sigma);
        }
        return noise.Norm == MatrixNorm.Frobenius ? new FrobeniusSphereLayerNoise(l, m, n, radius) : new SpectralSphereLayerNoise(l, m, n, radius);
    }

    private static double[] Filled(int count, double v) { var a = new double[count]; Array.Fill(a, v); return a; }
}
