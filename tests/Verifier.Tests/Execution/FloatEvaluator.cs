using Verify.Model;

namespace Verify.Tests.Execution;

/// <summary>The orders in which <see cref="FloatEvaluator"/> sums a neuron's n products and its bias.</summary>
public enum SummationOrder { Forward, BiasLast, Reverse, Pairwise, Lanes4, FmaForward, FmaReverse }

/// <summary>
/// Evaluates a network in a narrow floating-point format with a chosen summation order: the parameters and the input
/// are rounded to the format first, every product and sum is rounded, ReLU is exact, a leaky slope is rounded. Each order is one admissible
/// float evaluation that `--execution` must cover.
/// </summary>
public static class FloatEvaluator
{
    public static double[] Evaluate(Network net, ReadOnlySpan<double> x, FloatArithmetic f, SummationOrder order)
    {
        var h = new double[x.Length];
        for (int j = 0; j < x.Length; j++) h[j] = f.Round(x[j]);
        foreach (var layer in net.Layers)
        {
            var z = new double[layer.Outputs];
            for (int i = 0; i < layer.Outputs; i++)
            {
                var row = layer.Row(i);
                var w = new double[row.Length];
                for (int j = 0; j < w.Length; j++) w[j] = f.Round(row[j]);
                z[i] = Activate(layer.Activation, Neuron(w, h, f.Round(layer.B(i)), f, order), f);
            }
            h = z;
        }
        return h;
    }

    /// <summary>ReLU and identity are exact; a leaky ReLU multiplies by its slope stored in the format.</summary>
    private static double Activate(Activation a, double z, FloatArithmetic f) =>
        a.Kind == ActivationKind.LeakyRelu && z <= 0 ? f.Mul(f.Round(a.Slope), z) : a.Apply(z);

    private static double Neuron(double[] w, double[] h, double b, FloatArithmetic f, SummationOrder order)
    {
        int n = w.Length;
        double Product(int j) => f.Mul(w[j], h[j]);
        switch (order)
        {
            case SummationOrder.Forward:
            {
                double s = b;
                for (int j = 0; j < n; j++) s = f.Add(s, Product(j));
                return s;
            }
            case SummationOrder.BiasLast:
            {
                double s = Product(0);
                for (int j = 1; j < n; j++) s = f.Add(s, Product(j));
                return f.Add(s, b);
            }
            case SummationOrder.Reverse:
            {
                double s = Product(n - 1);
                for (int j = n - 2; j >= 0; j--) s = f.Add(s, Product(j));
                return f.Add(s, b);
            }
            case SummationOrder.Pairwise:
            {
                var terms = Enumerable.Range(0, n).Select(Product).Append(b).ToArray();
                return PairwiseSum(terms, 0, terms.Length, f);
            }
            case SummationOrder.Lanes4:
            {
                // The shape of a vectorised kernel: four lane accumulators, then a horizontal sum, then the bias.
                var lanes = new double[4];
                for (int j = 0; j < n; j++) lanes[j % 4] = f.Add(lanes[j % 4], Product(j));
                return f.Add(f.Add(f.Add(lanes[0], lanes[2]), f.Add(lanes[1], lanes[3])), b);
            }
            case SummationOrder.FmaForward:
            {
                var fma = f.Fma ?? throw new InvalidOperationException($"{f.Name} has no FMA here");
                double s = b;
                for (int j = 0; j < n; j++) s = fma(w[j], h[j], s);
                return s;
            }
            default:
            {
                var fma = f.Fma ?? throw new InvalidOperationException($"{f.Name} has no FMA here");
                double s = Product(n - 1);
                for (int j = n - 2; j >= 0; j--) s = fma(w[j], h[j], s);
                return f.Add(s, b);
            }
        }
    }

    private static double PairwiseSum(double[] t, int from, int to, FloatArithmetic f)
    {
        if (to - from == 1) return t[from];
        int mid = (from + to) / 2;
        return f.Add(PairwiseSum(t, from, mid, f), PairwiseSum(t, mid, to, f));
    }
}
