namespace Verify.Search;

/// <summary>A snapshot of branch and bound: certified U and replayed L (sup over the outputs searched), and the gap U/L − 1.</summary>
public sealed record SearchProgress(TimeSpan Elapsed, double Upper, double Lower, int OpenParts, int Splits)
{
    public double Gap => Lower > 0 ? Upper / Lower - 1 : double.PositiveInfinity;
}
