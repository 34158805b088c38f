using Verify.Errors;

namespace Verify.Equivalence;

/// <summary>The number formats `verify round` can round a network's parameters to.</summary>
public enum RoundingTarget
{
    Float16,
    BFloat16,
    Int8,
}

public static class RoundingTargets
{
    public static RoundingTarget Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "float16" or "fp16" or "half" => RoundingTarget.Float16,
        "bfloat16" or "bf16" => RoundingTarget.BFloat16,
        "int8" => RoundingTarget.Int8,
        _ => throw new UsageException($"--to '{name}': expected float16, bfloat16 or int8"),
    };

    public static string Name(this RoundingTarget t) => t switch
    {
        RoundingTarget.Float16 => "float16",
        RoundingTarget.BFloat16 => "bfloat16",
        _ => "int8",
    };
}
