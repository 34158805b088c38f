using Verify.Io.Onnx;
using Verify.Model;
using Verify.Results;
using Verify.Specs;

namespace Verify.Certify;

/// <summary>
/// Replays a witness (x, θ′) through ONNX Runtime, as VNN-COMP checks counterexamples: the nominal and the perturbed
/// network at x, in float32 when the query is about float32 execution and in float64 otherwise (the CPU provider has
/// no general float16/bfloat16 Gemm). Never throws: a runtime that cannot run is reported as unavailable.
/// </summary>
public static class WitnessRuntimeReplay
{
    public static RuntimeReplay Of(Network nominal, Witness witness, ExecutionFormat? execution)
    {
        bool float32 = execution?.UnitRoundoff == ExecutionFormat.Float32.UnitRoundoff; // float32 and float32-ftz
        string precision = float32 ? "float32" : "float64";
        try
        {
            using var a = new OnnxRuntimeSession(nominal, float32);
            using var b = new OnnxRuntimeSession(witness.Perturbed, float32);
            double y0 = a.Run([witness.X])[0][witness.Output];
            double y1 = b.Run([witness.X])[0][witness.Output];
            return new RuntimeReplay(precision, witness.Output, y0, y1);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return RuntimeReplay.NotAvailable(precision, witness.Output, e.GetType().Name + ": " + e.Message.Split('\n')[0]);
        }
    }
}
