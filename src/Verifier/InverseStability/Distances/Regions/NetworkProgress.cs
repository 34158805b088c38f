using Verify.Intervals;
using Verify.Model;

namespace Verify.InverseStability;

/// <summary>
/// One network's part of a partially fixed activation pattern: every layer before <see cref="Layer"/> is fixed, and in
/// layer <see cref="Layer"/> the neurons before <see cref="Next"/> are. Fixing a pattern makes every neuron an exact
/// affine form of the free inputs, so the pre-activations of the current layer are known exactly. Immutable: fixing a
/// neuron returns a new value, so the region search can branch without undo.
/// </summary>
public sealed class NetworkProgress
{
    public Network Net { get; }
    public int Layer { get; }
    public int Next { get; }

    /// <summary>Pre-activations of the current layer (all of them; exact for the fixed part of the pattern).</summary>
    public AffineForm[] Pre { get; }

    /// <summary>Outputs of the current layer's neurons before <see cref="Next"/>; when done, the network's outputs.</summary>
    public AffineForm[] Post { get; }

    private NetworkProgress(Network net, int layer, int next, AffineForm[] pre, AffineForm[] post)
    {
        Net = net; Layer = layer; Next = next; Pre = pre; Post = post;
    }

    public static NetworkProgress Start(Network net, BoxSlice slice)
    {
        var inputs = slice.InputForms();
        return Enter(net, 0, inputs, slice.FreeCount);
    }

    public bool Done => Layer == Net.Depth;

    /// <summary>The activation of the neuron to fix next.</summary>
    public Activation NextActivation => Net.Layers[Layer].Activation;

    /// <summary>The pre-activation of the neuron to fix next.</summary>
    public AffineForm NextPre => Pre[Next];

    /// <summary>The network's outputs as exact affine forms (only when <see cref="Done"/>).</summary>
    public AffineForm[] Outputs => Done ? Post : throw new InvalidOperationException("pattern not complete");

    /// <summary>The Jacobian of the outputs on the region (only when <see cref="Done"/>): rows outputs, columns free inputs.</summary>
    public Rational[][] Jacobian => Outputs.Select(f => f.Coefficients).ToArray();

    /// <summary>Fixes the next neuron to the given side (its output is slope·pre-activation, the slope P or N of its
    /// activation's kink) and moves on.</summary>
    public NetworkProgress Fix(bool active)
    {
        var (p, n) = ExactPasses.Slopes(NextActivation.Operator.Kink);
        var slope = active ? p : n;
        var post = new AffineForm[Next + 1];
        Array.Copy(Post, post, Next);
        post[Next] = slope.IsZero ? Zero(Pre[Next].Dimension) : Pre[Next].Scale(slope);
        if (Next + 1 < Pre.Length) return Skip(new NetworkProgress(Net, Layer, Next + 1, Pre, post));
        return Enter(Net, Layer + 1, post, Pre[Next].Dimension);
    }

    /// <summary>Starts layer <paramref name="layer"/> with the previous layer's outputs (or finishes).</summary>
    private static NetworkProgress Enter(Network net, int layer, AffineForm[] previous, int dimension)
    {
        if (layer == net.Depth) return new NetworkProgress(net, layer, 0, [], previous);
        var L = net.Layers[layer];
        var pre = new AffineForm[L.Outputs];
        for (int i = 0; i < L.Outputs; i++) pre[i] = AffineForm.Combine(L.Row(i), previous, L.B(i), dimension);
        return Skip(new NetworkProgress(net, layer, 0, pre, []));
    }

    // Identity layers need no decision: their outputs are their pre-activations.
    private static NetworkProgress Skip(NetworkProgress p) =>
        !p.Done && p.NextActivation.Operator.IsIdentity && p.Next == 0
            ? Enter(p.Net, p.Layer + 1, p.Pre, p.Pre.Length == 0 ? 0 : p.Pre[0].Dimension)
            : p;

    private static AffineForm Zero(int d) =>
        new(Enumerable.Repeat(Rational.Zero, d).ToArray(), Rational.Zero);
}
