using System.Diagnostics;
using Verify.Intervals;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// auto on a high-dimensional box also runs the linear pass with α-optimised slopes for every layer, once, as one more
/// method of the merge. Bisection cannot shrink such a box within a run and phase branching starts from the plain pass;
/// on MNIST 256x4 (784 inputs, ±0.03, every weight ±1 %) the optimised pass gives U = 309.6 in 15.5 s against 449.3
/// plain and 395 after 60 s of auto (BENCHMARKS.md, session 15). It runs only where its estimated cost fits in half of
/// the budget left; past that limit it is cancelled at the next layer it starts (then it adds nothing).
/// </summary>
public static class OptimizedRoot
{
    public const string MethodName = "linear-α";

    /// <summary>From this many inputs on a box counts as high-dimensional (the attack screens its starts on boxes of at
    /// most 16 dimensions).</summary>
    public const int MinInputs = 17;

    /// <summary>Measured cost of the optimised pass in plain passes (MNIST 256x4: 15.5 s against 0.47 s, 33×), with margin.</summary>
    public const double CostInPlainPasses = 40;

    public static bool Applies(CertifyQuery q) =>
        q.Method.Splits && !q.Method.Exact && !q.OptimizeSlopes && !q.Certificate && q.Perturbation.Execution is null
        && q.Box.Dimension >= MinInputs;

    /// <summary>The optimised bound, or null when its estimate does not fit in half of <paramref name="remaining"/> or it
    /// was cancelled there.</summary>
    public static MethodBound? Run(Network network, Box box, ParameterBox delta, BounderSettings settings, double plainSeconds, TimeSpan remaining)
    {
        var limit = remaining / 2;
        if (TimeSpan.FromSeconds(CostInPlainPasses * plainSeconds) > limit) return null;
        var l = settings.Linear;
        var bounder = new Bounds.LinearDifferenceBounder
        {
            PlaneSpreadWeight = l.PlaneSpreadWeight, ZPrimeRows = l.ZPrimeRows, BallNorm = l.BallNorm,
            OptimizeSlopes = true, OptimizedHiddenLayers = network.Depth, SlopeIterations = l.SlopeIterations,
        };
        using var cancel = new CancellationTokenSource(limit);
        var sw = Stopwatch.StartNew();
        try
        {
            return new MethodBound(MethodName, bounder.Bound(network, box, delta, cancel.Token).Upper, sw.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return null;
        }
    }
}
