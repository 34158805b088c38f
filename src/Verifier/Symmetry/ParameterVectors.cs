using Verify.Errors;
using Verify.Model;

namespace Verify.Symmetry;

/// <summary>Helpers shared by the distance algorithms: architecture checks and ℓ∞ differences.</summary>
public static class ParameterVectors
{
    public static void RequireSameArchitecture(Network a, Network b)
    {
        string Describe(Network n) => string.Join("-", n.Widths) + " (" + string.Join(", ", n.Layers.Select(l => l.Activation.ToString())) + ")";
        bool same = a.Depth == b.Depth && a.Widths.SequenceEqual(b.Widths) &&
                    a.Layers.Zip(b.Layers).All(p => p.First.Activation == p.Second.Activation);
        if (!same)
            throw new BadInputException(null, $"architectures differ: first network is {Describe(a)}, second is {Describe(b)}; the distance is defined only between networks of one architecture");
    }

    public static double LInf(Network a, Network b)
    {
        double m = 0;
        var x = a.Flatten(); var y = b.Flatten();
        for (int k = 0; k < x.Length; k++) m = Math.Max(m, Math.Abs(x[k] - y[k]));
        return m;
    }

    /// <summary>Incoming weights followed by the bias of neuron i in layer l.</summary>
    public static double[] Incoming(EditableNetwork n, int l, int i)
    {
        var r = new double[n.W[l][i].Length + 1];
        n.W[l][i].CopyTo(r, 0);
        r[^1] = n.B[l][i];
        return r;
    }

    /// <summary>Outgoing weights of neuron i in hidden layer l (column i of layer l+1).</summary>
    public static double[] Outgoing(EditableNetwork n, int l, int i) => n.W[l + 1].Select(row => row[i]).ToArray();

    public static double MaxAbsDiff(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double m = 0;
        for (int k = 0; k < x.Length; k++) { double d = Math.Abs(x[k] - y[k]); if (d > m) m = d; }
        return m;
    }

    /// <summary>max |x − y| but stops as soon as it exceeds <paramref name="cutoff"/> (returning a value &gt; cutoff).</summary>
    public static double MaxAbsDiffCut(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double cutoff)
    {
        double m = 0;
        for (int k = 0; k < x.Length; k++)
        {
            double d = Math.Abs(x[k] - y[k]);
            if (d > m) { m = d; if (m > cutoff) return m; }
        }
        return m;
    }
}
