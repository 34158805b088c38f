using System.Globalization;
using System.Text;
using Verify.Errors;
using Verify.Model;

namespace Verify.Io;

/// <summary>
/// The ACAS Xu `.nnet` text format (see docs/io.md and NNET_FORMAT.md). Hidden layers are ReLU, the last layer
/// is affine. The input/output normalisation is kept in <see cref="Network.Normalization"/> and not applied:
/// the raw network is the default semantics everywhere.
/// </summary>
public sealed class NnetNetworkFormat : INetworkFormat
{
    public string Name => "nnet";
    public IReadOnlyList<string> Extensions => [".nnet"];
    public bool CanWrite => true;

    public Network Read(string path, byte[] content) => NnetReader.Read(path, content);

    public byte[] Write(Network network) => Encoding.UTF8.GetBytes(NnetWriter.Write(network));
}

/// <summary>Parses `.nnet` text, tolerating the quirks of the files found in public benchmarks.</summary>
internal static class NnetReader
{
    public static Network Read(string path, byte[] content)
    {
        var lines = new DataLines(path, TextInput.Decode(path, content));

        var (countLine, counts) = lines.Next("the count line (numLayers,inputSize,outputSize,maxLayerSize)");
        if (counts.Length < 4)
            throw new BadInputException(path, $"count line has {counts.Length} entries, expected numLayers,inputSize,outputSize,maxLayerSize", countLine.ToString(CultureInfo.InvariantCulture));
        foreach (var (t, k) in counts.Select((t, k) => (t, k))) ParseSize(path, countLine, t, k);

        // The sizes line is authoritative: some hand-written files carry an inconsistent count line.
        var (sizesLine, sizeTokens) = lines.Next("the layer sizes line");
        var sizes = sizeTokens.Select((t, k) => ParseSize(path, sizesLine, t, k)).ToArray();
        if (sizes.Length < 2)
            throw new BadInputException(path, $"layer sizes line has {sizes.Length} entries; a network needs at least an input and an output size", Pos(sizesLine));
        int inputSize = sizes[0];
        CheckDeclaredSizesFit(path, sizesLine, sizes, content.Length);

        // Legacy ("symmetric"), always 0 and ignored by every reader; still it must be an integer, not NaN or 1e999.
        var (flagLine, flag) = lines.Next("the symmetric flag line");
        if (flag.Length != 1 || !int.TryParse(flag[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            throw new BadInputException(path, $"the flag line must hold one integer (0), got '{string.Join(",", flag)}'", Pos(flagLine));

        var min = ReadNormalisation(lines, inputSize, 0, "input minimums");
        var max = ReadNormalisation(lines, inputSize, 0, "input maximums");
        var mean = ReadNormalisation(lines, inputSize, 1, "means");
        var range = ReadNormalisation(lines, inputSize, 1, "ranges");

        var layers = new DenseLayer[sizes.Length - 1];
        for (int l = 1; l < sizes.Length; l++)
        {
            int outputs = sizes[l], inputs = sizes[l - 1];
            var w = new double[outputs * inputs];
            int firstLine = 0;
            for (int i = 0; i < outputs; i++)
            {
                var (ln, row) = lines.NextNumbers($"row {i + 1} of the weights of layer {l}");
                if (i == 0) firstLine = ln;
                if (row.Length != inputs)
                    throw new BadInputException(path, $"layer {l} weight row {i + 1} has {row.Length} values, expected {inputs} (layer sizes {string.Join(",", sizes)})", Pos(ln));
                row.CopyTo(w, i * inputs);
            }
            var b = new double[outputs];
            for (int i = 0; i < outputs; i++)
            {
                var (ln, v) = lines.NextNumbers($"bias {i + 1} of layer {l}");
                if (v.Length != 1)
                    throw new BadInputException(path, $"layer {l} bias line {i + 1} has {v.Length} values, expected 1", Pos(ln));
                b[i] = v[0];
            }
            var act = l == sizes.Length - 1 ? Activation.Identity : Activation.Relu;
            try { layers[l - 1] = new DenseLayer(outputs, inputs, w, b, act); }
            catch (ModelException e) { throw new BadInputException(path, $"layer {l}: {e.Problem}", Pos(firstLine)); }
        }
        lines.ExpectEnd($"the file declares layer sizes {string.Join(",", sizes)}, whose parameters end before this line");

        var norm = NnetNormalisation.FromFile(min, max, mean, range);
        try { return new Network(layers, norm); }
        catch (ModelException e) { throw new BadInputException(path, e.Problem); }
    }

    /// <summary>
    /// Every parameter takes at least two bytes of text ("0,"), so declared sizes whose parameters cannot fit in the
    /// file are rejected before anything is allocated (a sizes line of 2147483647 must not ask for gigabytes).
    /// </summary>
    private static void CheckDeclaredSizesFit(string path, int line, int[] sizes, long fileBytes)
    {
        long parameters = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            parameters += (long)sizes[l] * sizes[l - 1] + sizes[l];
            if (parameters > (fileBytes + 1) / 2)
                throw new BadInputException(path,
                    $"layer sizes {string.Join(",", sizes)} declare at least {parameters} parameters, more than a file of {fileBytes} bytes can hold", Pos(line));
        }
    }

    /// <summary>
    /// Min/max lines hold inputSize values, mean/range lines inputSize + 1. Longer lines occur (ReluDiff copies
    /// of ACAS Xu carry entries of a 7-input variant): the inputs are the first entries and the output value
    /// is the LAST one, which is where every writer puts it.
    /// </summary>
    private static double[] ReadNormalisation(DataLines lines, int inputSize, int outputEntries, string what)
    {
        var (ln, v) = lines.NextNumbers("the " + what);
        int needed = inputSize + outputEntries;
        if (v.Length < needed)
            throw new BadInputException(lines.Path, $"the {what} line has {v.Length} values, expected {needed}", Pos(ln));
        var r = v.Take(inputSize).ToList();
        if (outputEntries == 1) r.Add(v[^1]);
        return r.ToArray();
    }

    private static int ParseSize(string path, int line, string token, int index)
    {
        if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n <= 0)
            throw new BadInputException(path, $"entry {index + 1} '{token}' is not a positive integer", Pos(line));
        return n;
    }

    private static string Pos(int line) => line.ToString(CultureInfo.InvariantCulture);

    /// <summary>The non-comment lines of the file, split into tokens, with their 1-based line numbers.</summary>
    private sealed class DataLines
    {
        private readonly string[] _lines;
        private int _next;
        public string Path { get; }

        public DataLines(string path, string text)
        {
            Path = path;
            _lines = text.Split('\n');
        }

        public (int Line, string[] Tokens) Next(string expected)
        {
            while (_next < _lines.Length)
            {
                int ln = _next + 1;
                var tokens = Tokenize(_lines[_next++]);
                if (tokens.Length > 0) return (ln, tokens);
            }
            throw new BadInputException(Path, $"file is truncated: it ends before {expected}", Pos(_lines.Length));
        }

        public (int Line, double[] Values) NextNumbers(string expected)
        {
            var (ln, tokens) = Next(expected);
            var v = new double[tokens.Length];
            for (int i = 0; i < tokens.Length; i++)
            {
                if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                    throw new BadInputException(Path, $"'{tokens[i]}' in {expected} is not a number", Pos(ln));
                if (!double.IsFinite(v[i]))
                    throw new BadInputException(Path, $"'{tokens[i]}' in {expected} is not a finite number", Pos(ln));
            }
            return (ln, v);
        }

        public void ExpectEnd(string why)
        {
            while (_next < _lines.Length)
            {
                int ln = _next + 1;
                if (Tokenize(_lines[_next++]).Length > 0)
                    throw new BadInputException(Path, "unexpected extra data: " + why, Pos(ln));
            }
        }

        /// <summary>
        /// Drops `//` comments (whole lines, as the Python readers do, and trailing ones, as the C++ reader
        /// tolerates), then splits on commas and blanks, dropping the empty tokens that trailing commas leave.
        /// </summary>
        private static string[] Tokenize(string line)
        {
            int c = line.IndexOf("//", StringComparison.Ordinal);
            if (c >= 0) line = line[..c];
            return line.Split([',', ' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        }
    }
}

/// <summary>Maps between the four normalisation lines of a .nnet file and <see cref="Normalization"/>.</summary>
internal static class NnetNormalisation
{
    /// <summary>The lines written for a network without normalisation data: clamp nothing, shift by 0, scale by 1.</summary>
    public static Normalization Identity(int inputSize) => new(
        Enumerable.Repeat(-double.MaxValue, inputSize).ToArray(), Enumerable.Repeat(double.MaxValue, inputSize).ToArray(),
        new double[inputSize], Enumerable.Repeat(1.0, inputSize).ToArray(), 0.0, 1.0);

    /// <summary>
    /// Keeps what the file says, except the exact identity that <see cref="NnetWriter"/> writes for a network
    /// without normalisation, so that JSON → .nnet → JSON adds nothing.
    /// </summary>
    public static Normalization? FromFile(double[] min, double[] max, double[] meanWithOutput, double[] rangeWithOutput)
    {
        int n = min.Length;
        var norm = new Normalization(min, max, meanWithOutput[..n], rangeWithOutput[..n], meanWithOutput[n], rangeWithOutput[n]);
        return IsIdentity(norm) ? null : norm;
    }

    public static bool IsIdentity(Normalization n) =>
        n.InputMin.All(v => v == -double.MaxValue) && n.InputMax.All(v => v == double.MaxValue) &&
        n.InputMean.All(v => v == 0) && n.InputRange.All(v => v == 1) && n.OutputMean == 0 && n.OutputRange == 1;
}

/// <summary>Writes `.nnet` text; every number in shortest round-trip form, so reading it back gives the same bits.</summary>
internal static class NnetWriter
{
    public static string Write(Network network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var act = network.Layers[l].Activation;
            bool last = l == network.Layers.Count - 1;
            if (last ? act.Kind != ActivationKind.Identity : act.Kind != ActivationKind.Relu)
                throw new BadInputException(null,
                    $"cannot write .nnet: layer {l + 1} has activation {act}; the format holds ReLU hidden layers and an identity last layer");
        }
        var sb = new StringBuilder();
        var widths = network.Widths;
        sb.Append("// Neural network written by verify (.nnet format of the ACAS Xu networks; numbers in shortest round-trip form)\n");
        if (network.Name is { } name) sb.Append("// name: ").Append(name.ReplaceLineEndings(" ")).Append('\n');
        if (network.Normalization is null)
            sb.Append("// no normalisation: the min/max/mean/range lines below are the identity\n");
        sb.Append(Csv([network.Depth, network.InputSize, network.OutputSize, widths.Max()]));
        sb.Append(Csv(widths));
        sb.Append("0,\n");
        var n = network.Normalization ?? NnetNormalisation.Identity(network.InputSize);
        sb.Append(Csv(n.InputMin));
        sb.Append(Csv(n.InputMax));
        sb.Append(Csv([.. n.InputMean, n.OutputMean]));
        sb.Append(Csv([.. n.InputRange, n.OutputRange]));
        foreach (var layer in network.Layers)
        {
            for (int i = 0; i < layer.Outputs; i++) sb.Append(Csv(layer.Row(i).ToArray()));
            foreach (var b in layer.Bias) sb.Append(Csv([b]));
        }
        return sb.ToString();
    }

    private static string Csv(IEnumerable<int> values) => string.Concat(values.Select(v => v.ToString(CultureInfo.InvariantCulture) + ",")) + "\n";

    private static string Csv(IEnumerable<double> values) => string.Concat(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + ",")) + "\n";
}
