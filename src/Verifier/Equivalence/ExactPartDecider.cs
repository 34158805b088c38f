using Microsoft.Z3;
using Verify.Intervals;
using Verify.Smt;

namespace Verify.Equivalence;

/// <summary>What Z3 said about one part of the input box.</summary>
public enum ExactPartStatus
{
    /// <summary>Not tried: too many unstable neurons for an exact encoding.</summary>
    Skipped,
    /// <summary>UNSAT: |f2_j − f1_j| ≤ ε for every x in the part and every output j, in exact arithmetic.</summary>
    WithinEps,
    /// <summary>SAT: the model's input (to be replayed exactly before it counts).</summary>
    Candidate,
    /// <summary>Timeout or the solver gave up.</summary>
    Unknown,
}

public sealed record ExactPartAnswer(ExactPartStatus Status, Rational[]? Candidate = null, int UnstableNeurons = 0);

/// <summary>
/// The exact fallback for small parts of an ε-equivalence query: one Z3 check of "some x in the part and some output
/// j have |f2_j(x) − f1_j(x)| &gt; ε" over the stacked network (f1, f2) of <see cref="MergedPair"/>, with every weight
/// as the rational its double denotes. Neurons that interval propagation proves stable on the part are linear
/// equations; only the unstable ones are case splits, and parts with more than <see cref="MaxUnstable"/> of them
/// are skipped (the exact encoding would stall). UNSAT closes the part; a model is only a candidate for the caller's
/// exact replay.
/// </summary>
public sealed class ExactPartDecider(MergedPair pair, double eps)
{
    public int MaxUnstable { get; init; } = 24;
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(1);

    private readonly Rational _eps = Rational.FromDouble(eps);
    private readonly int _m = pair.First.OutputSize;

    public ExactPartAnswer Decide(Box part, CancellationToken cancellation) => Decide(part, MaxUnstable, cancellation);

    public ExactPartAnswer Decide(Box part, int maxUnstable, CancellationToken cancellation)
    {
        var bounds = Smt.IntervalPropagation.Compute(pair.Stacked, part);
        int unstable = 0;
        for (int l = 0; l < bounds.LayerCount - 1; l++)
            foreach (var z in bounds.Layer(l))
                if (z.Lo < 0 && z.Hi > 0) unstable++;
        if (unstable > maxUnstable) return new ExactPartAnswer(ExactPartStatus.Skipped, UnstableNeurons: unstable);

        using var session = new SolverSession(CheckTimeout, cancellation, logic: "QF_LRA");
        var ctx = session.Context;
        var encoded = ReluNetworkEncoder.Encode(ctx, pair.Stacked, part, bounds, ReluEncoding.BoundedSplit);
        session.Assert(encoded.Facts.ToArray());
        var eps = ExactTerms.Real(ctx, _eps);
        var minusEps = ExactTerms.Real(ctx, -_eps);
        var exceeds = new BoolExpr[2 * _m];
        for (int j = 0; j < _m; j++)
        {
            var d = ctx.MkSub(encoded.Outputs[_m + j], encoded.Outputs[j]);
            exceeds[2 * j] = ctx.MkGt(d, eps);
            exceeds[2 * j + 1] = ctx.MkLt(d, minusEps);
        }
        session.Assert(ctx.MkOr(exceeds));
        var r = session.Check();
        if (r.IsUnsat) return new ExactPartAnswer(ExactPartStatus.WithinEps, UnstableNeurons: unstable);
        if (!r.IsSat) return new ExactPartAnswer(ExactPartStatus.Unknown, UnstableNeurons: unstable);
        var x = new Rational[encoded.Inputs.Count];
        for (int i = 0; i < x.Length; i++)
        {
            // An algebraic (irrational) model value cannot occur in linear arithmetic; treat it as no answer.
            if (ExactTerms.Evaluate(r.Model!, encoded.Inputs[i]) is not { IsExact: true } v)
                return new ExactPartAnswer(ExactPartStatus.Unknown, UnstableNeurons: unstable);
            x[i] = v.Value;
        }
        return new ExactPartAnswer(ExactPartStatus.Candidate, x, unstable);
    }
}
