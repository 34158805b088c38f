using System.Runtime.CompilerServices;
using Verify.Model;

namespace Verify.Sensitivity;

/// <summary>
/// Monte Carlo draws of ‖f(x;θ+η) − f(x;θ)‖ (∞ and 2) at one input, in batches of <see cref="Batch"/> samples
/// propagated as matrix–matrix products. Layers before the first noisy one are evaluated once per x. Samples are
/// cut into fixed chunks of <see cref="ChunkSize"/>, each with its own generator seeded by (seed, point, chunk), and
/// the chunks run in parallel: the result is the same for any number of threads and any scheduling.
/// </summary>
public sealed class DeviationSampler
{
    public const int Batch = 256;
    public const int ChunkSize = 8192;

    private readonly Network _net;
    private readonly LayerNoise?[] _noise;
    private readonly double[][] _weights;
    private readonly int _first;

    public DeviationSampler(Network net, LayerNoise?[] noise)
    {
        if (noise.Length != net.Depth) throw new ArgumentException("one noise slot per layer expected", nameof(noise));
        _net = net;
        _noise = noise;
        _weights = net.Layers.Select(l => l.Weights.ToArray()).ToArray();
        _first = Array.FindIndex(noise, n => n is not null);
        if (_first < 0) throw new ArgumentException("no layer has noise", nameof(noise));
    }

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Fills <paramref name="inf"/> and <paramref name="l2"/> at [offset, offset + count) for input x.
    /// <paramref name="progress"/> is incremented by the number of samples done (thread-safe).
    /// </summary>
    public void Sample(double[] x, ulong seed, int point, double[] inf, double[] l2, int offset, int count,
                       StrongBox<long>? progress = null, CancellationToken cancellation = default)
    {
        long n = count;
        var prefix = Prefix(x);
        var y0 = _net.Evaluate(x);
        int chunks = (int)((n + ChunkSize - 1) / ChunkSize);
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancellation };
        Parallel.For(0, chunks, options, () => new Workspace(_net, prefix.Input), (c, _, ws) =>
        {
            var rng = new Rng(seed, (ulong)point, (ulong)c);
            long start = (long)c * ChunkSize, end = Math.Min(n, start + ChunkSize);
            for (long s = start; s < end; s += Batch)
            {
                int k = (int)Math.Min(Batch, end - s);
                var output = Propagate(ws, prefix.PreActivation, k, ref rng);
                BatchKernel.Deviations(output, y0, Batch, k, inf.AsSpan(offset + (int)s, k), l2.AsSpan(offset + (int)s, k));
            }
            if (progress is not null) Interlocked.Add(ref progress.Value, end - start);
            return ws;
        }, _ => { });
    }

    /// <summary>Nominal input and pre-activation of the first noisy layer at x.</summary>
    private (double[] Input, double[] PreActivation) Prefix(double[] x)
    {
        double[] h = x;
        for (int l = 0; l < _first; l++)
        {
            var z = new double[_net.Layers[l].Outputs];
            _net.Layers[l].PreActivation(h, z);
            for (int i = 0; i < z.Length; i++) z[i] = _net.Layers[l].Activation.Apply(z[i]);
            h = z;
        }
        var z0 = new double[_net.Layers[_first].Outputs];
        _net.Layers[_first].PreActivation(h, z0);
        return (h, z0);
    }

    private double[] Propagate(Workspace ws, double[] z0, int count, ref Rng rng)
    {
        var act = ws.Activations;
        var first = _net.Layers[_first];
        BatchKernel.Broadcast(z0, act[_first], Batch);
        _noise[_first]!.Add(ws.PrefixInput, act[_first], Batch, count, ref rng);
        BatchKernel.Activate(first.Activation, act[_first], first.Outputs * Batch);
        for (int l = _first + 1; l < _net.Depth; l++)
        {
            var L = _net.Layers[l];
            BatchKernel.Affine(L, _weights[l], act[l - 1], act[l], Batch);
            _noise[l]?.Add(act[l - 1], act[l], Batch, count, ref rng);
            BatchKernel.Activate(L.Activation, act[l], L.Outputs * Batch);
        }
        return act[^1];
    }

    private sealed class Workspace
    {
        public readonly double[][] Activations;
        public readonly double[] PrefixInput;

        public Workspace(Network net, double[] prefixInput)
        {
            Activations = net.Layers.Select(l => new double[l.Outputs * Batch]).ToArray();
            PrefixInput = new double[prefixInput.Length * Batch];
            BatchKernel.Broadcast(prefixInput, PrefixInput, Batch);
        }
    }
}
