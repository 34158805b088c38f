using Verify.Intervals;

namespace Verify.Smt;

/// <summary>
/// Sound enclosures of every neuron's pre-activation value z = W·h + b over an input box: PreActivation[l][i]
/// for layer l (0-based, output layer included). The SMT encoders trust them, so they must come from
/// outward-rounded arithmetic (e.g. <see cref="IntervalPropagation"/>) or a sound bounding method.
/// </summary>
public sealed class NeuronBounds
{
    private readonly Interval[][] _pre;

    public NeuronBounds(IReadOnlyList<IReadOnlyList<Interval>> preActivation)
    {
        _pre = preActivation.Select(l => l.ToArray()).ToArray();
    }

    public int LayerCount => _pre.Length;
    public IReadOnlyList<Interval> Layer(int layer) => _pre[layer];
    public Interval this[int layer, int neuron] => _pre[layer][neuron];
}
