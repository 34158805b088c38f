using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Verify.Intervals;

// Outward-rounded matrix-vector products, as the engine's interval passes compute them, versus a plain double product.
// Usage: dotnet run -c Release --project bench/Intervals.Bench [-- sizes...]   (default: 50 1000)
var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [50, 1000];
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, Vector<double>.Count = {Vector<double>.Count}, {RuntimeInformation.OSDescription}");
Console.WriteLine($"{"n×n",-10} {"variant",-34} {"µs/product",12} {"× plain",8}");
foreach (int n in sizes) Bench.Run(n);

static class Bench
{
    public static void Run(int n)
    {
        var rng = new Random(1788);
        var W = new double[n * n];
        for (int k = 0; k < W.Length; k++) W[k] = rng.NextDouble() * 2 - 1;
        var lo = new double[n]; var hi = new double[n]; var x = new double[n];
        for (int j = 0; j < n; j++) { lo[j] = rng.NextDouble() * 2 - 1; hi[j] = lo[j] + rng.NextDouble() * 0.1; x[j] = 0.5 * (lo[j] + hi[j]); }
        var xi = Enumerable.Range(0, n).Select(j => new Interval(lo[j], hi[j])).ToArray();
        var outD = new double[n]; var oLo = new double[n]; var oHi = new double[n];

        double plain = Time(() => PlainMatVec(W, n, n, x, outD));
        Report(n, "plain double (vectorised FMA)", plain, plain);
        Report(n, "plain double (scalar loop)", Time(() => ScalarMatVec(W, n, n, x, outD)), plain);
        Report(n, "Rounding.MulDown/AddDown, lo/hi", Time(() => DirectedMatVec(W, n, n, lo, hi, oLo, oHi)), plain);
        Report(n, "Interval operators, per element", Time(() => NaiveIntervalMatVec(W, n, n, xi, oLo, oHi)), plain);
    }

    private static void Report(int n, string name, double us, double plain) =>
        Console.WriteLine($"{n + "×" + n,-10} {name,-34} {us,12:F3} {us / plain,8:F2}");

    /// <summary>Median over 9 rounds of the mean time per call, each round ≥ 100 ms, after a warm-up that triggers tier-1 JIT.</summary>
    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 300) action();
        int reps = 1;
        while (true)
        {
            sw.Restart();
            for (int i = 0; i < reps; i++) action();
            if (sw.ElapsedMilliseconds >= 100) break;
            reps *= 2;
        }
        var rounds = new double[9];
        for (int r = 0; r < rounds.Length; r++)
        {
            sw.Restart();
            for (int i = 0; i < reps; i++) action();
            rounds[r] = sw.Elapsed.TotalMicroseconds / reps;
        }
        Array.Sort(rounds);
        return rounds[rounds.Length / 2];
    }

    private static void PlainMatVec(double[] W, int rows, int cols, double[] x, double[] y)
    {
        for (int i = 0; i < rows; i++) y[i] = PlainDot(W.AsSpan(i * cols, cols), x);
    }

    private static double PlainDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, w = Vector<double>.Count, i = 0;
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        var c0 = Vector<double>.Zero; var c1 = Vector<double>.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            c0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i), c0);
            c1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref ra, (nuint)(i + w)), Vector.LoadUnsafe(ref rb, (nuint)(i + w)), c1);
        }
        double c = Vector.Sum(c0 + c1);
        for (; i < n; i++) c = Math.FusedMultiplyAdd(Unsafe.Add(ref ra, i), Unsafe.Add(ref rb, i), c);
        return c;
    }

    private static void ScalarMatVec(double[] W, int rows, int cols, double[] x, double[] y)
    {
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            int off = i * cols;
            for (int j = 0; j < cols; j++) s += W[off + j] * x[j];
            y[i] = s;
        }
    }

    /// <summary>The pre-activation loop of the joint interval pass (Bounds.IntervalStep): one directed product and sum per side.</summary>
    private static void DirectedMatVec(double[] W, int rows, int cols, double[] lo, double[] hi, double[] oLo, double[] oHi)
    {
        for (int i = 0; i < rows; i++)
        {
            double zl = 0, zh = 0;
            int off = i * cols;
            for (int j = 0; j < cols; j++)
            {
                double w = W[off + j];
                zl = Rounding.AddDown(zl, w >= 0 ? Rounding.MulDown(w, lo[j]) : Rounding.MulDown(w, hi[j]));
                zh = Rounding.AddUp(zh, w >= 0 ? Rounding.MulUp(w, hi[j]) : Rounding.MulUp(w, lo[j]));
            }
            oLo[i] = zl; oHi[i] = zh;
        }
    }

    private static void NaiveIntervalMatVec(double[] W, int rows, int cols, Interval[] x, double[] oLo, double[] oHi)
    {
        for (int i = 0; i < rows; i++)
        {
            var s = Interval.Zero;
            for (int j = 0; j < cols; j++) s += x[j] * W[i * cols + j];
            oLo[i] = s.Lo; oHi[i] = s.Hi;
        }
    }
}
