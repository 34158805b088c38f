using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Search;

/// <summary>
/// Optional for an <see cref="Bounds.IDeviationBounder"/>: the input dimension whose bisection it expects to tighten
/// its bound most (null: no opinion). Branch and bound asks it before falling back to width × |gradient|.
/// </summary>
public interface ISplitAdvisor
{
    int? ChooseSplit(Network network, Box box, ParameterBox delta);
}
