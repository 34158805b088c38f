using Verify.Model;
using Verify.Results;

namespace Verify.Symmetry;

/// <summary>Builds the aligned copy of a network from an <see cref="Alignment"/> (a result value).</summary>
public static class AlignmentApplication
{
    public static EditableNetwork ApplyEditable(this Alignment alignment, Network b)
    {
        var e = new EditableNetwork(b);
        for (int l = 0; l < alignment.Permutations.Count; l++) e.Permute(l, alignment.Permutations[l]);
        for (int l = 0; l < alignment.Scales.Count; l++)
            for (int i = 0; i < alignment.Scales[l].Length; i++)
                if (alignment.Scales[l][i] != 1.0) e.Scale(l, i, alignment.Scales[l][i]);
        return e;
    }

    public static Network Apply(this Alignment alignment, Network b) => alignment.ApplyEditable(b).ToNetwork();
}
