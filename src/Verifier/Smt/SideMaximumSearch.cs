using System.Diagnostics;
using Verify.Bab;
using Verify.Bounds;
using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Smt;

/// <summary>
/// Where max of N±_j over the input box lies (the last-layer mode of <see cref="DeviationMaximizer"/>): the exact best
/// value found (floor, attained at <see cref="X"/>) and a certified upper bound.
/// </summary>
internal sealed record SideMaximum(Rational Floor, Rational Upper, Rational[] X, int Checks, int Parts, int Unstable, UnknownReason Reason);

/// <summary>
/// max of N±_j over the box, exactly where time allows, on the branch-and-bound core: best first (largest certified
/// bound) over parts of the input box, each bounded by the nominal network's linear-pass enclosures; a part with at
/// most <c>maxUnstable</c> unstable neurons (or after 40 bisections) goes to <see cref="OutputMaximizer"/> and
/// leaves the search, a wider one is bisected along its widest side; the search ends when no open bound is above the
/// best exact value found. Upper is the maximum of the floor, the solved parts' certified uppers and the open parts'
/// bounds. One worker: the parts go to Z3 one at a time.
/// </summary>
internal sealed class SideMaximumSearch : IBabProblem<SideMaximumSearch.Part, Rational>, ISplitPolicy<Box, SideMaximumSearch.Part>,
                                          ILeafBounder<Box, SideMaximumSearch.Part>
{
    internal sealed record Part(Box Box, NeuronBounds Bounds, int Unstable, int Depth, Rational Upper);

    private readonly Network _net, _n;
    private readonly ParameterBox _delta;
    private readonly int _output;
    private readonly MaximizeOptions _mo;
    private readonly int _maxUnstable;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _total;
    private readonly CancellationToken _deadline;
    private readonly LinearDifferenceBounder _bounder = new();
    private readonly BabEngine<Box, Part, Rational> _engine;
    private Rational[] _x;
    private Rational _floor, _solvedUpper;
    private int _checks, _parts, _unstable;
    private UnknownReason _reason = UnknownReason.None;

    private SideMaximumSearch(Network net, ParameterBox delta, Network n, Box box, int output, MaximizeOptions mo,
                              int maxUnstable, Stopwatch clock, TimeSpan total, CancellationToken deadline)
    {
        _net = net; _delta = delta; _n = n; _output = output; _mo = mo; _maxUnstable = maxUnstable;
        _clock = clock; _total = total; _deadline = deadline;
        _x = box.Center.Select(Rational.FromDouble).ToArray();
        _floor = n.EvaluateExact(_x)[output];
        _solvedUpper = _floor;
        _engine = new BabEngine<Box, Part, Rational>(this, this, this, new BabOptions { Threads = 1, BatchSize = 1 },
            Comparer<Rational>.Create((a, b) => b.CompareTo(a)));
    }

    public static SideMaximum Run(Network net, ParameterBox delta, Network n, Box box, int output, MaximizeOptions mo,
                                  int maxUnstable, Stopwatch clock, TimeSpan total, CancellationToken deadline)
    {
        var s = new SideMaximumSearch(net, delta, n, box, output, mo, maxUnstable, clock, total, deadline);
        var root = s.Make(box, 0);
        s._unstable = root.Unstable;
        s._engine.Offer(root);
        // Not cancellable: a part taken off the frontier must come back as children, or its bound would be lost.
        s._engine.Run(CancellationToken.None);
        var upper = Rational.Max(s._floor, s._solvedUpper);
        if (s._engine.Open.TryPeek(out _, out var openUpper)) upper = Rational.Max(upper, openUpper);
        return new SideMaximum(s._floor, upper, s._x, s._checks, s._parts, s._unstable, s._reason);
    }

    private Part Make(Box box, int depth)
    {
        var bounds = HiddenBounds(_n, box, _bounder.LayerEnclosures(_net, box, _delta));
        int u = 0;
        for (int l = 0; l < bounds.LayerCount - 1; l++)
            if (_n.Layers[l].Activation.IsPiecewiseLinearWithKink)
                u += bounds.Layer(l).Count(z => z.Lo < 0 && z.Hi > 0);
        return new Part(box, bounds, u, depth, Rational.FromDouble(bounds[bounds.LayerCount - 1, _output].Hi));
    }

    public bool ShouldStop() => Done(_engine.Open.TryPeek(out _, out var top) ? top : null);

    /// <summary>Done when no open part can beat the floor, or at the deadline.</summary>
    private bool Done(Rational? top)
    {
        if (top is not { } ub || !(ub > _floor)) return true;
        if (!_deadline.IsCancellationRequested) return false;
        _reason = UnknownReason.Cancelled;
        return true;
    }

    public NodeFate Triage(Part next, Rational ub)
    {
        if (Done(ub)) return NodeFate.KeepAndStop;
        _parts++;
        if (next.Unstable > _maxUnstable && next.Depth < 40) return NodeFate.Split;
        var left = _total - _clock.Elapsed;
        if (left <= TimeSpan.Zero) { _reason = UnknownReason.Cancelled; return NodeFate.KeepAndStop; }
        var r = OutputMaximizer.MaximizeOutput(_n, next.Box, _output,
            _mo with { Bounds = next.Bounds, TotalTimeout = left, CheckTimeout = left < _mo.CheckTimeout ? left : _mo.CheckTimeout }, _deadline);
        _checks += r.Checks;
        if (r.Lower > _floor) { _floor = r.Lower; _x = r.Witness.ToArray(); }
        _solvedUpper = Rational.Max(_solvedUpper, r.Upper);
        if (r.Status == MaximizeStatus.Unknown && _reason == UnknownReason.None) _reason = r.Reason;
        return NodeFate.Close;
    }

    public bool Admit(ref Part node, out Rational priority)
    {
        priority = node.Upper;
        return true;
    }

    /// <summary>The widest side (the first of equal ones).</summary>
    public Box[] Split(Part node)
    {
        var box = node.Box;
        int dim = 0;
        for (int i = 1; i < box.Dimension; i++)
            if (box[i].Width > box[dim].Width) dim = i;
        var (a, b) = box.Bisect(dim);
        return [a, b];
    }

    public Part Bound(Box box, Part parent, CancellationToken cancellation) => Make(box, parent.Depth + 1);

    /// <summary>Neuron bounds of N± from the nominal network's hidden-layer enclosures, the output layer by intervals.</summary>
    private static NeuronBounds HiddenBounds(Network n, Box box, LayerBounds[] nominal)
    {
        var layers = new List<IReadOnlyList<Interval>>();
        var h = box.Dimensions.ToArray();
        for (int l = 0; l < n.Depth - 1; l++)
        {
            var lb = nominal[l + 1];
            var z = Enumerable.Range(0, lb.Count).Select(i => new Interval(lb.ZLo[i], lb.ZHi[i])).ToArray();
            layers.Add(z);
            h = z.Select(v => Bounds.IntervalPropagation.Activate(n.Layers[l].Activation, v)).ToArray();
        }
        layers.Add(Bounds.IntervalPropagation.PreActivation(n.Layers[^1], h));
        return new NeuronBounds(layers);
    }
}
