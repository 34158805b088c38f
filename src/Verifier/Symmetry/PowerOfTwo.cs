using Verify.Errors;

namespace Verify.Symmetry;

/// <summary>
/// Power-of-two rescalings, which change no bit of a double's significand. They are exact unless a value
/// overflows or drops into the subnormal range; every scaling here checks that it can be undone bit for bit.
/// </summary>
public static class PowerOfTwo
{
    /// <summary>k with x·2^k in [1, 2) for x &gt; 0.</summary>
    public static int UnitExponent(double x) => -Math.ILogB(x);

    /// <summary>
    /// The canonical balancing exponent: the unique k with (a·2^k)/(o·2^-k) in [1, 4). It is computed from the
    /// binary exponents and an exact comparison of significands, so rescaled copies (a·2^j, o·2^-j) get k − j
    /// and land on the same balanced pair bit for bit.
    /// </summary>
    public static int BalanceExponent(double a, double o)
    {
        int ea = Math.ILogB(a), eo = Math.ILogB(o);
        double ma = Math.ScaleB(a, -ea), mo = Math.ScaleB(o, -eo);
        int d0 = ea - eo;
        // ratio = (ma/mo)·2^(d0+2k); with ma ≥ mo we need d0+2k ∈ {0,1}, otherwise d0+2k ∈ {1,2}.
        return ma >= mo ? -FloorHalf(d0) : -FloorHalf(d0 - 1);
    }

    private static int FloorHalf(int x) => x >> 1;

    /// <summary>x·2^k, refusing results that overflow or lose bits to underflow.</summary>
    public static double Scale(double x, int k, Func<string> where)
    {
        double y = Math.ScaleB(x, k);
        if (!double.IsFinite(y) || Math.ScaleB(y, -k) != x)
            throw new ModelException($"{where()}: scaling {x:R} by 2^{k} is not exact (overflow or underflow); try without --exact-scaling");
        return y;
    }

    /// <summary>Multiplies neuron i of hidden layer l by 2^k exactly (incoming ×2^k, outgoing ×2^-k).</summary>
    public static void ScaleNeuron(EditableNetwork net, int l, int i, int k)
    {
        if (k == 0) return;
        string Where() => $"layer {l + 1} neuron {i}";
        var row = net.W[l][i];
        for (int j = 0; j < row.Length; j++) row[j] = Scale(row[j], k, Where);
        net.B[l][i] = Scale(net.B[l][i], k, Where);
        foreach (var next in net.W[l + 1]) next[i] = Scale(next[i], -k, Where);
    }
}
