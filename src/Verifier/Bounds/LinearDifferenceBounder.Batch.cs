using Verify.Intervals;

namespace Verify.Bounds;

public sealed partial class LinearDifferenceBounder
{
    /// <summary>Objectives carried down together: row r's coefficients of (z, Δz) — then of (h, Δh) — at C[r·Stride..],
    /// D[r·Stride..]; its x coefficients at X[r·XStride..] after the last step. A single pass is one row.</summary>
    private readonly record struct Rows(double[] C, double[] D, double[] X, int Count, int Stride, int XStride)
    {
        public int Offset => 0;
    }

    private sealed partial class JointPass
    {
        /// <summary>Objectives per batch: enough independent directed-rounding chains to keep the processor busy,
        /// few enough that the batch's coefficients (2·16·width doubles) stay in the first-level cache.</summary>
        private const int BatchRows = 16;

        private readonly double[] _rowErr = new double[BatchRows], _rowBiasAbs = new double[BatchRows], _rowStep = new double[BatchRows], _rowTotal = new double[BatchRows];
        private readonly bool[] _rowErrPossible = new bool[BatchRows], _rowBiasInexact = new bool[BatchRows], _rowAnyD = new bool[BatchRows];
        private double[]? _batchC, _batchD, _batchX;

        /// <summary>The plain bounds of one layer's objectives, computed in batches before the neuron loop consumes them
        /// in the same order (see <see cref="Objective"/>).</summary>
        private sealed class Precomputed(int count, int inputs, bool keepX)
        {
            public readonly int[] Neuron = new int[count];
            public readonly double[] Cz = new double[count], Cd = new double[count], Value = new double[count];
            public readonly double[] X = new double[keepX ? count * inputs : 0];
            public readonly bool KeepX = keepX;
            private int _next;

            public double Take(int i, double cz, double cd, int inputs, out double[] xCoef)
            {
                int q = _next++;
                if (Neuron[q] != i || Cz[q] != cz || Cd[q] != cd)
                    throw new InvalidOperationException("batched objectives consumed out of order");
                xCoef = KeepX ? X.AsSpan(q * inputs, inputs).ToArray() : [];
                return Value[q];
            }
        }

        /// <summary>The consumer of <see cref="Precomputed"/> values of the layer being bounded (null: compute each).</summary>
        private Precomputed? _pre;

        /// <summary>
        /// The objectives the neuron loop of <see cref="Run"/> will ask for at layer m, in its order and with its
        /// rules (Δz of every unstable or output neuron, then z, then z' with <see cref="ZPrimeRows"/>), bounded in
        /// batches by <see cref="BackwardRows"/>. Each value is bit-identical to the single pass's.
        /// </summary>
        private Precomputed Precompute(int m, LayerBounds cur, bool last, bool identity)
        {
            int n = cur.Count, d0 = _net.InputSize;
            var list = new List<(int I, double Cz, double Cd)>(4 * n);
            for (int i = 0; i < n; i++)
            {
                bool stable = (cur.ZLo[i] >= 0 && cur.PLo[i] >= 0) || (cur.ZHi[i] <= 0 && cur.PHi[i] <= 0);
                bool needPre = !identity && (!stable || last);
                if (!needPre && !last) continue;
                list.Add((i, 0, 1)); list.Add((i, 0, -1));
                if (!needPre) continue;
                list.Add((i, 1, 0)); list.Add((i, -1, 0));
                if (ZPrimeRows) { list.Add((i, 1, 1)); list.Add((i, -1, -1)); }
            }
            var pre = new Precomputed(list.Count, d0, last);
            for (int q = 0; q < list.Count; q++) (pre.Neuron[q], pre.Cz[q], pre.Cd[q]) = list[q];
            BackwardRows(m, pre);
            return pre;
        }

        /// <summary><see cref="Backward"/> (without β multipliers or trace) for every objective of
        /// <paramref name="pre"/>, <see cref="BatchRows"/> at a time.</summary>
        private void BackwardRows(int m, Precomputed pre)
        {
            int S = _c.Length, d0 = _net.InputSize, count = pre.Value.Length;
            _batchC ??= new double[BatchRows * S]; _batchD ??= new double[BatchRows * S]; _batchX ??= new double[BatchRows * d0];
            var step = _rowStep.AsSpan(); var total = _rowTotal.AsSpan();
            for (int start = 0; start < count; start += BatchRows)
            {
                int R = Math.Min(BatchRows, count - start);
                Array.Clear(_batchC, 0, R * S); Array.Clear(_batchD, 0, R * S);
                for (int r = 0; r < R; r++)
                {
                    _batchC[r * S + pre.Neuron[start + r]] = pre.Cz[start + r];
                    _batchD[r * S + pre.Neuron[start + r]] = pre.Cd[start + r];
                }
                var rows = new Rows(_batchC, _batchD, _batchX, R, S, d0);
                total[..R].Clear();
                for (int k = m; ; k--)
                {
                    AffineStepRows(k, rows, step);
                    for (int r = 0; r < R; r++) total[r] = Rounding.AddUp(total[r], step[r]);
                    if (k == 0) break;
                    ActivationStepRows(k - 1, rows, step);
                    for (int r = 0; r < R; r++) total[r] = Rounding.AddUp(total[r], step[r]);
                }
                for (int r = 0; r < R; r++)
                {
                    // Concretise Σ xc_j x_j over the box, as Backward does.
                    var xc = _batchX.AsSpan(r * d0, d0);
                    double cst = total[r];
                    for (int j = 0; j < d0; j++)
                    {
                        double a = xc[j];
                        if (a == 0) continue;
                        if (double.IsNaN(a)) { cst = double.PositiveInfinity; break; } // a coefficient lost to ∞ − ∞ or ∞·0 near overflow: no bound
                        cst = Rounding.AddUp(cst, a > 0 ? Rounding.MulUp(a, _xHi[j]) : Rounding.MulUp(a, _xLo[j]));
                    }
                    pre.Value[start + r] = cst;
                    if (pre.KeepX) xc.CopyTo(pre.X.AsSpan((start + r) * d0, d0));
                }
            }
        }
    }
}
