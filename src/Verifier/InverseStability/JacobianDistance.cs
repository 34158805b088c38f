using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>
/// The W^{1,∞} semi-norm distance sup_{x ∈ U} ‖D(f1 − f2)(x)‖ of two ReLU networks on a box U (x off the kinks;
/// ‖·‖ the operator ∞-norm of <see cref="JacobianNorm"/>; derivatives in the box's free coordinates, see
/// <see cref="BoxSlice"/>). The Jacobian of f1 − f2 is constant on every activation region of the joint network (both
/// networks' neurons over the shared input), so the semi-norm is the maximum over the regions with nonempty interior.
/// The search fixes neurons layer by layer (first network, then second, per layer): a neuron whose exact pre-activation
/// is constant or sign-stable on the box needs no decision; otherwise the side containing the region's known interior
/// point is feasible for free and the other side is asked of Z3 with strict constraints. Subtrees whose certified
/// <see cref="JacobianGapBound"/> cannot beat the best region are skipped. Every region's value is replayed at an
/// interior point with <see cref="PointJacobian"/> before it counts.
/// </summary>
public sealed class JacobianDistance
{
    public TimeSpan? Timeout { get; init; }

    public JacobianDistanceResult Compute(Network first, Network second, Intervals.Box box, CancellationToken cancellation = default)
    {
        if (first.InputSize != second.InputSize) throw new ArgumentException($"the networks take {first.InputSize} and {second.InputSize} inputs");
        if (first.OutputSize != second.OutputSize) throw new ArgumentException($"the networks have {first.OutputSize} and {second.OutputSize} outputs");
        if (box.Dimension != first.InputSize) throw new ArgumentException($"the box has {box.Dimension} dimensions, the networks take {first.InputSize} inputs");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (Timeout is { } t) cts.CancelAfter(t);
        var slice = new BoxSlice(box);
        using var solver = new RegionSolver(slice, Timeout ?? TimeSpan.FromDays(1), cts.Token);
        var run = new Run(first, second, slice, solver, cts.Token);
        return run.Execute();
    }

    private sealed class Run(Network first, Network second, BoxSlice slice, RegionSolver solver, CancellationToken stop)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(AffineForm Z, int Sign)> _constraints = [];
        private Rational _best = Rational.Zero;
        private double _bestLow;
        private Rational[]? _witness;
        private double _unexplored = double.NegativeInfinity;   // max bound of the subtrees never reached
        private long _regions, _pruned, _unknown;
        private bool _timedOut;

        /// <summary>Random points replayed before the search: a good first region lets the bounds prune from the start.</summary>
        public int Samples { get; init; } = 64;

        public JacobianDistanceResult Execute()
        {
            Sample();
            var p1 = NetworkProgress.Start(first, slice);
            var p2 = NetworkProgress.Start(second, slice);
            var box = RegionBox.Of(slice);
            Explore(p1, p2, slice.FreeCentre(), box, JacobianGapBound.Upper(p1, p2, box));
            bool complete = _unexplored == double.NegativeInfinity;
            double upper = complete ? _best.ToInterval().Hi : Math.Max(_best.ToInterval().Hi, _unexplored);
            var witness = _witness is null ? null : slice.Embed(_witness);
            return new JacobianDistanceResult(_best, upper, complete ? _best : null, witness,
                _regions, _pruned, solver.Checks, solver.EmptyAnswers, _unknown, _timedOut, _clock.Elapsed.TotalSeconds)
            { WitnessDoubles = witness is null ? null : RoundedWitness(witness) };
        }

        /// <summary>The witness as nearest doubles, if the rounded point still replays to the best value.</summary>
        private double[]? RoundedWitness(Rational[] x)
        {
            var rounded = x.Select(v => v.ToDouble()).ToArray();
            var xr = rounded.Select(Rational.FromDouble).ToArray();
            if (!slice.Box.Contains(xr)) return null;
            var j1 = PointJacobian.At(first, xr, slice.Free);
            var j2 = PointJacobian.At(second, xr, slice.Free);
            return j1 is not null && j2 is not null && JacobianNorm.OfDifference(j1, j2) == _best ? rounded : null;
        }

        /// <summary>
        /// Seeds the best value with exact Jacobians at random dyadic points. A point where both networks are
        /// differentiable (by <see cref="PointJacobian"/>'s test) has a neighbourhood on which both are affine, which
        /// meets some open region with the same Jacobian: its value is a region's value.
        /// </summary>
        private void Sample()
        {
            var rng = new Random(1);
            var lo = slice.FreeLo; var hi = slice.FreeHi;
            for (int s = 0; s < Samples && !stop.IsCancellationRequested; s++)
            {
                // Fractions strictly inside (0, 1), the centre first.
                var point = lo.Select((l, k) => l + (hi[k] - l) * (s == 0 ? new Rational(1, 2) : new Rational(rng.Next(1, 1 << 20), 1 << 20))).ToArray();
                var x = slice.Embed(point);
                var j1 = PointJacobian.At(first, x, slice.Free);
                var j2 = PointJacobian.At(second, x, slice.Free);
                if (j1 is null || j2 is null) continue;
                var v = JacobianNorm.OfDifference(j1, j2);
                if (_witness is null || v > _best) Record(v, point);
            }
        }

        /// <summary>Explores every region below the pattern (p1, p2); <paramref name="point"/> lies strictly inside it.</summary>
        private void Explore(NetworkProgress p1, NetworkProgress p2, Rational[] point, RegionBox box, double bound)
        {
            while (true)
            {
                if (stop.IsCancellationRequested) { _timedOut = true; Leave(bound); return; }
                if (bound <= _bestLow && _witness is not null) { _pruned++; return; }
                if (p1.Done && p2.Done) { Leaf(p1, p2, point); return; }
                bool firstNext = !p1.Done && (p2.Done || p1.Layer <= p2.Layer);
                var p = firstNext ? p1 : p2;
                var z = p.NextPre;
                int forced = ForcedSign(z, box);
                int side = forced != 0 ? forced : z.Evaluate(point).Sign;
                if (side == 0)
                {
                    // The known point sits on this neuron's kink: both sides need their own point.
                    Branch(p1, p2, firstNext, z, solver.Find(z, 1, box), solver.Find(z, -1, box), box, bound);
                    return;
                }
                RegionPoint other = forced != 0 ? RegionPoint.None : solver.Find(z, -side, box);
                if (other.Empty)
                {
                    // Only one side meets the region, which lies inside it: no constraint to add.
                    (p1, p2) = Fix(p1, p2, firstNext, side > 0);
                    continue;
                }
                var here = RegionPoint.At(point);
                if (side > 0) Branch(p1, p2, firstNext, z, here, other, box, bound);
                else Branch(p1, p2, firstNext, z, other, here, box, bound);
                return;
            }
        }

        private void Branch(NetworkProgress p1, NetworkProgress p2, bool firstNext, AffineForm z, RegionPoint positive, RegionPoint negative,
                            RegionBox box, double parentBound)
        {
            var children = new List<(int Sign, RegionPoint Found, NetworkProgress C1, NetworkProgress C2, RegionBox Box, double Bound)>();
            foreach (var (sign, found) in new[] { (1, positive), (-1, negative) })
            {
                if (found.Empty) continue;
                var (c1, c2) = Fix(p1, p2, firstNext, sign > 0);
                _constraints.Add((z, sign));
                var childBox = box.Contract(_constraints);
                _constraints.RemoveAt(_constraints.Count - 1);
                children.Add((sign, found, c1, c2, childBox, Math.Min(parentBound, JacobianGapBound.Upper(c1, c2, childBox))));
            }
            // The more promising side first: a high region early lets the bounds prune the other.
            foreach (var c in children.OrderByDescending(c => c.Bound))
            {
                if (stop.IsCancellationRequested) { _timedOut = true; Leave(c.Bound); continue; }
                if (c.Found.IsUnknown) { _unknown++; Leave(c.Bound); continue; }
                solver.Push(z, c.Sign);
                _constraints.Add((z, c.Sign));
                try { Explore(c.C1, c.C2, c.Found.Point!, c.Box, c.Bound); }
                finally { solver.Pop(); _constraints.RemoveAt(_constraints.Count - 1); }
            }
        }

        private static (NetworkProgress, NetworkProgress) Fix(NetworkProgress p1, NetworkProgress p2, bool firstNext, bool active) =>
            firstNext ? (p1.Fix(active), p2) : (p1, p2.Fix(active));

        /// <summary>+1 or −1 when the pre-activation has that sign on the whole region box (or is a positive/negative or zero constant), else 0.</summary>
        private static int ForcedSign(AffineForm z, RegionBox box)
        {
            if (z.IsConstant) return z.Constant.Sign > 0 ? 1 : -1;   // a zero constant: the neuron is 0 with gradient 0 either way
            var range = box.Enclose(z);
            // The region is open and inside the box, hence inside its interior, where a non-constant affine form that is
            // ≥ 0 on the box is > 0.
            if (range.Lo >= 0) return 1;
            if (range.Hi <= 0) return -1;
            return 0;
        }

        private void Leave(double bound) => _unexplored = Math.Max(_unexplored, bound);

        private void Leaf(NetworkProgress p1, NetworkProgress p2, Rational[] point)
        {
            _regions++;
            var value = JacobianNorm.OfDifference(p1.Jacobian, p2.Jacobian);
            if (_witness is not null && value <= _best) return;
            // Replay: the Jacobians at the interior point, computed directly from the networks, must be the region's.
            var x = slice.Embed(point);
            var j1 = PointJacobian.At(first, x, slice.Free);
            var j2 = PointJacobian.At(second, x, slice.Free);
            if (j1 is null || j2 is null || !Same(j1, p1.Jacobian) || !Same(j2, p2.Jacobian))
                throw new InvalidOperationException("region search: the witness point does not replay to the region's Jacobian");
            Record(value, point);
        }

        private void Record(Rational value, Rational[] point)
        {
            _best = value;
            _bestLow = value.ToInterval().Lo;
            _witness = point;
        }

        private static bool Same(Rational[][] a, Rational[][] b) =>
            a.Length == b.Length && a.Zip(b).All(r => r.First.SequenceEqual(r.Second));
    }
}
