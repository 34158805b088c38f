namespace Verify.Bounds;

/// <summary>One fixed phase: the pre-activation of neuron <see cref="Neuron"/> of layer <see cref="Layer"/> (0 = first
/// hidden layer) is ≥ 0 (<see cref="Active"/>) or ≤ 0 on the domain: the nominal z, or with <see cref="Perturbed"/> the
/// perturbed z′ = z + Δz (a constraint on x and δ together; docs/phases.md).</summary>
public readonly record struct PhaseSplit(int Layer, int Neuron, bool Active, bool Perturbed = false)
{
    /// <summary>The sign s of the constraint s·z ≥ 0: +1 active, −1 inactive.</summary>
    public double Sign => Active ? 1 : -1;
}

/// <summary>
/// The phases fixed in one phase domain {(x, δ) ∈ box × Δ : s·z_{k,i}(x) ≥ 0 and s·z′_{k,i}(x, δ) ≥ 0 for every
/// split}. Immutable; a child adds one split. The two children of a split cover the parent (≥ 0 or ≤ 0), so the
/// domains of a search cover box × Δ.
/// </summary>
public sealed class PhaseSet
{
    private readonly Dictionary<(int, int, bool), bool> _fixed;

    public static PhaseSet Empty { get; } = new([]);

    private PhaseSet(Dictionary<(int, int, bool), bool> fixedPhases) => _fixed = fixedPhases;

    public int Count => _fixed.Count;

    public IEnumerable<PhaseSplit> Splits => _fixed.Select(kv => new PhaseSplit(kv.Key.Item1, kv.Key.Item2, kv.Value, kv.Key.Item3));

    /// <summary>+1 (≥ 0), −1 (≤ 0) or 0 (free) for z, or for z′ with <paramref name="perturbed"/>.</summary>
    public int SignOf(int layer, int neuron, bool perturbed = false) =>
        _fixed.TryGetValue((layer, neuron, perturbed), out var active) ? (active ? 1 : -1) : 0;

    public bool AnyBelow(int layer) => _fixed.Keys.Any(k => k.Item1 < layer);

    /// <summary>This set with one more split; a neuron already fixed cannot be split again.</summary>
    public PhaseSet With(PhaseSplit s)
    {
        if (_fixed.ContainsKey((s.Layer, s.Neuron, s.Perturbed))) throw new ArgumentException($"neuron {s.Neuron} of layer {s.Layer} is already fixed");
        return new PhaseSet(new Dictionary<(int, int, bool), bool>(_fixed) { [(s.Layer, s.Neuron, s.Perturbed)] = s.Active });
    }

    /// <summary>The two children of a split of neuron <paramref name="neuron"/> of <paramref name="layer"/> (its z, or
    /// z′ with <paramref name="perturbed"/>): active first, then inactive; together they cover this set.</summary>
    public PhaseSet[] Children(int layer, int neuron, bool perturbed) =>
        [With(new PhaseSplit(layer, neuron, true, perturbed)), With(new PhaseSplit(layer, neuron, false, perturbed))];

    public static PhaseSet Of(params PhaseSplit[] splits) => splits.Aggregate(Empty, (set, s) => set.With(s));

    public override string ToString() => string.Join(" ", Splits.OrderBy(s => s.Layer).ThenBy(s => s.Neuron)
        .Select(s => $"{(s.Perturbed ? "z'" : "z")}{s.Layer}.{s.Neuron}{(s.Active ? "≥0" : "≤0")}"));
}
