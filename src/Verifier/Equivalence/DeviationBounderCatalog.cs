using Verify.Bounds;

namespace Verify.Equivalence;

/// <summary>
/// The certified deviation bounders available in this build (every <see cref="IDeviationBounder"/> with a public
/// parameterless constructor), so that `equiv` on networks of one architecture reuses certify's machinery for the
/// difference f(θ1 + δ) − f(θ1) with δ = θ2 − θ1.
/// </summary>
public static class DeviationBounderCatalog
{
    public static IReadOnlyList<IDeviationBounder> All { get; } = Discover();

    private static IReadOnlyList<IDeviationBounder> Discover() =>
        typeof(IDeviationBounder).Assembly.GetTypes()
            .Where(t => typeof(IDeviationBounder).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface &&
                        t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IDeviationBounder)Activator.CreateInstance(t)!)
            .ToArray();

    /// <summary>
    /// The default for equiv's branch and bound: the tightest single-box bounder available ("linear", which already
    /// intersects with interval propagation; else "ibp"). Bounders that split the input themselves ("auto") would
    /// nest a second branch and bound inside every part, so they are only used when asked for by name.
    /// </summary>
    public static IReadOnlyList<IDeviationBounder> Default { get; } =
        All.Where(b => b.Name == "linear").Concat(All.Where(b => b.Name == "ibp")).Take(1).ToArray();

    /// <summary>The bounders whose names are listed (case-insensitive), or <see cref="Default"/> for null.</summary>
    public static IReadOnlyList<IDeviationBounder> Select(IReadOnlyList<string>? names)
    {
        if (names is null) return Default;
        var chosen = new List<IDeviationBounder>();
        foreach (var n in names)
            chosen.Add(All.FirstOrDefault(b => b.Name.Equals(n, StringComparison.OrdinalIgnoreCase))
                       ?? throw new Errors.UsageException($"--bounder '{n}': available: {(All.Count == 0 ? "none in this build" : string.Join(", ", All.Select(b => b.Name)))}"));
        return chosen;
    }
}
