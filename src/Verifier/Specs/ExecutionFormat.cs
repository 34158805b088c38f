using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Intervals;

namespace Verify.Specs;

/// <summary>
/// A binary floating-point format the deployed network may run in (`--execution`): its unit roundoff u, its smallest
/// subnormal and normal numbers and its largest finite value. All four are powers of two or exact binary values, so
/// they are exact doubles. <see cref="FlushToZero"/> admits runtimes that flush subnormal results and operands to zero
/// (GPU fast-math, DAZ/FTZ); without it gradual underflow is assumed. The derivation that turns these numbers into a
/// parameter box is in docs/execution.md and <see cref="ExecutionWidening"/>.
/// </summary>
public sealed record ExecutionFormat(string Name, double UnitRoundoff, double SmallestSubnormal, double SmallestNormal, double MaxFinite, bool FlushToZero = false)
{
    public static ExecutionFormat Float32 { get; } = new("float32", Math.ScaleB(1, -24), Math.ScaleB(1, -149), Math.ScaleB(1, -126), float.MaxValue);
    public static ExecutionFormat Float16 { get; } = new("float16", Math.ScaleB(1, -11), Math.ScaleB(1, -24), Math.ScaleB(1, -14), 65504.0);
    public static ExecutionFormat BFloat16 { get; } = new("bfloat16", Math.ScaleB(1, -8), Math.ScaleB(1, -133), Math.ScaleB(1, -126), (2 - Math.ScaleB(1, -7)) * Math.ScaleB(1, 127));

    /// <summary>`float32`, `float16`, `bfloat16`, each optionally with `-ftz` (subnormals may be flushed to zero).</summary>
    public static ExecutionFormat Parse(string text)
    {
        string s = text.Trim().ToLowerInvariant();
        bool ftz = s.EndsWith("-ftz", StringComparison.Ordinal);
        if (ftz) s = s[..^4];
        var f = s switch
        {
            "float32" or "fp32" or "single" => Float32,
            "float16" or "fp16" or "half" => Float16,
            "bfloat16" or "bf16" => BFloat16,
            _ => throw new UsageException($"--execution: '{text}' is not float32, float16 or bfloat16 (optionally with -ftz)"),
        };
        return ftz ? f with { Name = f.Name + "-ftz", FlushToZero = true } : f;
    }

    /// <summary>
    /// The largest absolute error of one rounded operation that underflows: half the smallest subnormal with gradual
    /// underflow (round to nearest), the smallest normal when a subnormal result may be flushed to zero.
    /// </summary>
    public double UnderflowError => FlushToZero ? SmallestNormal : SmallestSubnormal / 2;

    /// <summary>
    /// A sound upper bound of γ_k = k·u/(1 − k·u), the relative error of k successive roundings (Higham, Lemma 3.1).
    /// The lemma needs k·u &lt; 1; we refuse from k·u ≥ 1/2 on, where γ_k ≥ 1 and the bound would say nothing useful.
    /// </summary>
    public double Gamma(long k)
    {
        double ku = Rounding.MulUp(k, UnitRoundoff);
        if (!(ku < 0.5))
            throw new UsageException($"--execution {Name}: a dot product of length {k - 1} is too long for unit roundoff {UnitRoundoff:G3} (k·u ≥ 1/2: the rounding bound γ_k would exceed 1)");
        return Rounding.DivUp(ku, Rounding.SubDown(1, ku));
    }

    public JsonObject ToJson() => new()
    {
        ["format"] = Name,
        ["unitRoundoff"] = UnitRoundoff,
        ["smallestSubnormal"] = SmallestSubnormal,
        ["maxFinite"] = MaxFinite,
        ["flushToZero"] = FlushToZero,
    };
}
