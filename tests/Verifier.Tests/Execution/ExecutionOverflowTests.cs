using Verify.Intervals;
using Verify.Model;
using Verify.Specs;

namespace Verify.Tests.Execution;

public class ExecutionOverflowTests
{
    private static readonly Network Big = new([DenseLayer.FromRows([[300.0, 300.0]], [0.0], Activation.Relu),
                                               DenseLayer.FromRows([[1.0]], [0.0], Activation.Identity)]);

    private static string? Check(Network net, Box box, string format)
    {
        var f = ExecutionFormat.Parse(format);
        return ExecutionOverflow.Check(net, box, (PerturbationModel.Absolute(0) with { Execution = f }).ToBox(net), f);
    }

    [Test]
    public void PartialSumsBeyondTheLargestHalfAreReported()
    {
        // 300·100 + 300·100 = 60000 < 65504, but the widened weights' worst partial sums stay below too; at 110 not.
        Assert.That(Check(Big, Box.FromBounds([-100, -100], [100, 100]), "float16"), Is.Null);
        Assert.That(Check(Big, Box.FromBounds([-110, -110], [110, 110]), "float16"), Does.Contain("layer 1 neuron 0"));
        Assert.That(Check(Big, Box.FromBounds([-110, -110], [110, 110]), "float32"), Is.Null);
    }

    /// <summary>A cancelling sum is small at the end, but its partial sums in some order are not.</summary>
    [Test]
    public void CancellationDoesNotHideAnOverflowingPartialSum()
    {
        var net = new Network([DenseLayer.FromRows([[600.0, -600.0]], [0.0], Activation.Identity)]);
        Assert.That(Check(net, Box.FromBounds([100, 100], [100, 100]), "float16"), Does.Contain("partial sum"));
    }

    /// <summary>Plain interval propagation over the whole property-1 box of ACAS Xu N1_1 reaches 74963 at layer 6,
    /// beyond float16's 65504; bisecting the box clears every part.</summary>
    [Test]
    public void BisectionClearsAcasXuInFloat16()
    {
        var net = TestData.Network("ACASXU_run2a_1_1_batch_2000.nnet");
        var box = Box.FromBounds([0.6, -0.5, -0.5, 0.45, -0.5], [0.679857769, 0.5, 0.5, 0.5, -0.45]);
        Assert.That(Check(net, box, "float16"), Is.Null);
        Assert.That(Check(net, box, "float16-ftz"), Is.Null);
    }

    [Test]
    public void InputsBeyondTheFormatAreReported() =>
        Assert.That(Check(Big, Box.FromBounds([0, 0], [70000, 1]), "float16"), Does.StartWith("input 0"));
}
