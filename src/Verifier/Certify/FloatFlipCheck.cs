using System.Globalization;
using Verify.Io.Onnx;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// `--top1 --execution F`: a flip of the real-valued perturbed network is a counterexample for the network as it runs
/// only if some evaluation in F flips too. For float32 the perturbed network is run through ONNX Runtime in float32 (a
/// real runtime: its summation order and any FMA are among the evaluations the bound covers) and the flip is confirmed
/// when the rival's float output is at least the class's. No float16/bfloat16 runtime is at hand, so there it stays
/// unconfirmed (the answer is then unknown, never falsified).
/// </summary>
public static class FloatFlipCheck
{
    public static (bool Flips, string Note) Run(Network nominal, ClassFlip flip, ExecutionFormat format)
    {
        if (format.UnitRoundoff != ExecutionFormat.Float32.UnitRoundoff)
            return (false, $"no {format.Name} runtime to evaluate the flip in; only the real-valued flip is shown");
        try
        {
            using var session = new OnnxRuntimeSession(flip.Perturbed, float32: true);
            var y = session.Run([flip.X])[0];
            bool flips = y[flip.Rival] >= y[flip.Class];
            return (flips, string.Format(CultureInfo.InvariantCulture,
                "ONNX Runtime float32 at x: y'_{0} = {1:R}, y'_{2} = {3:R} ({4})", flip.Class, y[flip.Class], flip.Rival, y[flip.Rival],
                flips ? "the class flips in float32 too" : "no flip in float32"));
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return (false, "ONNX Runtime could not run: " + e.Message.Split('\n')[0]);
        }
    }
}
