namespace Verify.Search;

/// <summary>A saved point (x, δ) of the attack, in buffers allocated once.</summary>
internal sealed class AttackState
{
    public double[] X { get; }
    public double[][] DW { get; }
    public double[][] DB { get; }
    public double Value { get; set; } = double.NegativeInfinity;

    public AttackState(DeviationProblem p)
    {
        X = new double[p.InputSize];
        DW = new double[p.Depth][]; DB = new double[p.Depth][];
        for (int l = 0; l < p.Depth; l++)
        {
            DW[l] = new double[p.Moves[l] ? p.W[l].Length : 0];
            DB[l] = new double[p.Moves[l] ? p.B[l].Length : 0];
        }
    }

    public void Save(AttackWorkspace ws, double value)
    {
        ws.X.CopyTo(X, 0);
        SaveDelta(ws);
        Value = value;
    }

    public void SaveDelta(AttackWorkspace ws)
    {
        for (int l = 0; l < DW.Length; l++) { ws.DW[l].CopyTo(DW[l], 0); ws.DB[l].CopyTo(DB[l], 0); }
    }

    public void Restore(AttackWorkspace ws)
    {
        X.CopyTo(ws.X, 0);
        RestoreDelta(ws);
        ws.UpdateParameters();
    }

    public void RestoreDelta(AttackWorkspace ws)
    {
        for (int l = 0; l < DW.Length; l++) { DW[l].CopyTo(ws.DW[l], 0); DB[l].CopyTo(ws.DB[l], 0); }
    }

    public void CopyFrom(AttackState o)
    {
        o.X.CopyTo(X, 0);
        for (int l = 0; l < DW.Length; l++) { o.DW[l].CopyTo(DW[l], 0); o.DB[l].CopyTo(DB[l], 0); }
        Value = o.Value;
    }
}
