using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;

namespace Verify.InverseStability;

/// <summary>
/// Exact maximisation of a per-region quantity (<see cref="IRegionObjective"/>) over the activation regions of the joint
/// network (both networks' neurons over the shared input) that have nonempty interior in a box. Depth first, neurons
/// fixed layer by layer (first network, then second, per layer): a neuron whose exact pre-activation is constant or has
/// one sign on the region's box needs no decision; otherwise the side containing the region's known interior point is
/// feasible for free and the other side is asked of the <see cref="RegionSolver"/> (strict constraints, exact). A subtree
/// whose certified bound cannot beat the best value is skipped; on time-out the bounds of the subtrees never reached
/// make the honest upper end.
/// </summary>
public sealed class RegionSearch(Network first, Network second, BoxSlice slice, IRegionObjective objective)
{
    private Network First { get; } = first;
    private Network Second { get; } = second;
    private BoxSlice Slice { get; } = slice;
    private IRegionObjective Objective { get; } = objective;

    /// <summary>Random points valued before the search: a good first value lets the bounds prune from the start.</summary>
    public int Samples { get; init; } = 64;

    public RegionDistanceResult Run(TimeSpan? timeout, CancellationToken cancellation, Rational[]? seedPoint = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) cts.CancelAfter(t);
        using var solver = new RegionSolver(Slice, timeout ?? TimeSpan.FromDays(1), cts.Token);
        return new Walk(this, solver, cts.Token).Execute(seedPoint);
    }

    private sealed class Walk(RegionSearch owner, RegionSolver solver, CancellationToken stop)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly BoxSlice _slice = owner.Slice;
        private readonly IRegionObjective _objective = owner.Objective;
        private readonly List<(AffineForm Z, int Sign)> _constraints = [];
        private Rational _best = Rational.Zero;
        private double _bestLow;
        private Rational[]? _witness;   // free coordinates
        private double _unexplored = double.NegativeInfinity;   // max bound of what was never decided
        private long _regions, _pruned, _unknown;
        private bool _timedOut;

        public RegionDistanceResult Execute(Rational[]? seedPoint)
        {
            if (seedPoint is not null) Offer(_slice.Restrict(seedPoint));
            Sample();
            var p1 = NetworkProgress.Start(owner.First, _slice);
            var p2 = NetworkProgress.Start(owner.Second, _slice);
            var box = RegionBox.Of(_slice);
            Explore(p1, p2, _slice.FreeCentre(), box, _objective.Bound(p1, p2, box));
            bool complete = _unexplored == double.NegativeInfinity;
            double upper = complete ? _best.ToInterval().Hi : Math.Max(_best.ToInterval().Hi, _unexplored);
            var witness = _witness is null ? null : _slice.Embed(_witness);
            return new RegionDistanceResult(_best, upper, complete ? _best : null, witness,
                _regions, _pruned, solver.Checks, solver.EmptyAnswers, _unknown, _timedOut, _clock.Elapsed.TotalSeconds)
            {
                WitnessDoubles = witness is null ? null : RoundedWitness(witness),
                PairwiseProofs = solver.PairwiseEmpty,
                SolverSeconds = solver.CheckTime.TotalSeconds,
            };
        }

        /// <summary>The witness as nearest doubles, if the rounded point still has the best value.</summary>
        private double[]? RoundedWitness(Rational[] x)
        {
            var rounded = x.Select(v => v.ToDouble()).ToArray();
            var xr = rounded.Select(Rational.FromDouble).ToArray();
            if (!_slice.Box.Contains(xr)) return null;
            return _objective.ValueAt(xr) == _best ? rounded : null;
        }

        private void Sample()
        {
            var rng = new Random(1);
            var lo = _slice.FreeLo; var hi = _slice.FreeHi;
            for (int s = 0; s < owner.Samples && !stop.IsCancellationRequested; s++)
            {
                // Fractions strictly inside (0, 1), the centre first.
                var point = lo.Select((l, k) => l + (hi[k] - l) * (s == 0 ? new Rational(1, 2) : new Rational(rng.Next(1, 1 << 20), 1 << 20))).ToArray();
                Offer(point);
            }
        }

        private void Offer(Rational[] free)
        {
            if (_objective.ValueAt(_slice.Embed(free)) is { } v && (_witness is null || v > _best)) Record(v, free);
        }

        /// <summary>Explores every region below the pattern (p1, p2); <paramref name="point"/> lies strictly inside it.</summary>
        private void Explore(NetworkProgress p1, NetworkProgress p2, Rational[] point, RegionBox box, double bound)
        {
            while (true)
            {
                if (stop.IsCancellationRequested) { _timedOut = true; Leave(bound); return; }
                if (bound <= _bestLow && _witness is not null) { _pruned++; return; }
                if (p1.Done && p2.Done) { Leaf(p1, p2, point, box); return; }
                bool firstNext = !p1.Done && (p2.Done || p1.Layer <= p2.Layer);
                var p = firstNext ? p1 : p2;
                var z = p.NextPre;
                int forced = ForcedSign(z, box);
                int side = forced != 0 ? forced : z.Evaluate(point).Sign;
                if (side == 0)
                {
                    // The known point sits on this neuron's kink: both sides need their own point.
                    var (positive, negative) = (solver.Find(z, 1, box), solver.Find(z, -1, box));
                    // An open region cannot lie inside the hyperplane z = 0 of a non-constant z.
                    if (positive.Empty && negative.Empty) throw new InvalidOperationException("region search: a nonempty region has no side");
                    Branch(p1, p2, firstNext, z, positive, negative, box, bound);
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
                children.Add((sign, found, c1, c2, childBox, Math.Min(parentBound, _objective.Bound(c1, c2, childBox))));
            }
            // The more promising side first: a high value early lets the bounds prune the other.
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

        private void Leaf(NetworkProgress p1, NetworkProgress p2, Rational[] point, RegionBox box)
        {
            _regions++;
            var outcome = _objective.Leaf(p1, p2, point, box, solver, _witness is null ? Rational.Zero - Rational.One : _best);
            if (outcome.Value is { } v)
            {
                // Every value that counts is recomputed from the networks at its witness.
                if (_objective.ValueAt(_slice.Embed(outcome.Witness!)) != v)
                    throw new InvalidOperationException("region search: the witness does not replay to the region's value");
                if (_witness is null || v > _best) Record(v, outcome.Witness!);
            }
            if (outcome.UndecidedBound > double.NegativeInfinity) { _unknown++; Leave(outcome.UndecidedBound); }
        }

        private void Record(Rational value, Rational[] point)
        {
            _best = value;
            _bestLow = value.ToInterval().Lo;
            _witness = point;
        }
    }
}
