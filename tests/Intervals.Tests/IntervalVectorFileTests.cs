using System.Globalization;

namespace Verify.Intervals.Tests;

/// <summary>
/// Portable test vectors in the style of IEEE 1788 (Data/interval-vectors.txt, one "op operands = result"
/// per line). The expected results were computed independently with Python's exact fractions
/// (Data/make_vectors.py) and must match exactly: they are the tightest double enclosures.
/// </summary>
public class IntervalVectorFileTests
{
    private static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "Data", "interval-vectors.txt");

    public static IEnumerable<TestCaseData> Vectors()
    {
        int lineNo = 0;
        foreach (var raw in File.ReadLines(FilePath))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            yield return new TestCaseData(line).SetName($"Vector line {lineNo}: {line}");
        }
    }

    [Test]
    public void FileHasManyVectors() =>
        Assert.That(Vectors().Count(), Is.GreaterThan(400), $"expected the vector file at {FilePath}");

    [TestCaseSource(nameof(Vectors))]
    public void VectorHolds(string line)
    {
        int eq = line.LastIndexOf('=');
        var expected = ParseInterval(line[(eq + 1)..].Trim());
        var lhs = line[..eq].Trim();
        string op = lhs[..lhs.IndexOf(' ')];
        var operands = ParseOperands(lhs[(op.Length + 1)..]);
        Interval actual = op switch
        {
            "add" => operands.A + operands.B!.Value,
            "sub" => operands.A - operands.B!.Value,
            "mul" => operands.A * operands.B!.Value,
            "div" => operands.A / operands.B!.Value,
            "sqr" => operands.A.Square(),
            "sqrt" => operands.A.Sqrt(),
            "abs" => operands.A.Abs(),
            "neg" => -operands.A,
            "min" => Interval.Min(operands.A, operands.B!.Value),
            "max" => Interval.Max(operands.A, operands.B!.Value),
            "relu" => operands.A.Relu(),
            "leakyrelu" => operands.A.LeakyRelu(operands.Scalar!.Value),
            "scale" => operands.A * operands.Scalar!.Value,
            _ => throw new FormatException($"unknown operation '{op}'"),
        };
        Assert.That(actual, Is.EqualTo(expected), line);
    }

    private static (Interval A, Interval? B, double? Scalar) ParseOperands(string text)
    {
        text = text.Trim();
        int close = text.IndexOf(']');
        var a = ParseInterval(text[..(close + 1)]);
        var rest = text[(close + 1)..].Trim();
        if (rest.Length == 0) return (a, null, null);
        if (rest.StartsWith('[')) return (a, ParseInterval(rest), null);
        return (a, null, ParseNumber(rest));
    }

    private static Interval ParseInterval(string text)
    {
        if (text == "entire") return Interval.Entire;
        var parts = text.Trim('[', ']').Split(',');
        return new Interval(ParseNumber(parts[0]), ParseNumber(parts[1]));
    }

    private static double ParseNumber(string s) => s.Trim() switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
