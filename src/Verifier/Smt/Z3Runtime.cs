using System.Runtime.InteropServices;

namespace Verify.Smt;

/// <summary>
/// Makes the Microsoft.Z3 managed API load the right native library. On Linux that is our shim
/// (Smt/Native/z3shim.c, built as libz3.so next to this assembly), which makes 4.12's finalizer-thread
/// releases safe on the system's Z3 4.8.12; a bare system libz3 would be loaded by plain probing
/// otherwise, and it would crash in the Context constructor or, worse, corrupt memory later.
/// On Windows and macOS the natives shipped in the NuGet package are used unchanged.
/// </summary>
public static class Z3Runtime
{
    private const string ShimFileName = "libz3.so";
    private static readonly object Gate = new();
    private static bool _loaded;
    private static IntPtr _shim;

    /// <summary>True when the queuing shim is in use (Linux).</summary>
    public static bool UsesShim => OperatingSystem.IsLinux();

    /// <summary>Installs the resolver and loads the native library once. Call before creating any Context.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            if (UsesShim)
            {
                string path = ShimPath();
                if (!File.Exists(path))
                    throw new DllNotFoundException($"Z3 shim not found at {path}: the build compiles it with cc (see docs/smt.md)");
                _shim = NativeLibrary.Load(path);
                if (!NativeLibrary.TryGetExport(_shim, "z3shim_stats", out _))
                    throw new DllNotFoundException($"{path} is not the Verify Z3 shim (no z3shim_stats export)");
                var handle = _shim;
                NativeLibrary.SetDllImportResolver(typeof(Microsoft.Z3.Context).Assembly,
                    (name, _, _) => name is "libz3" or "libz3.so" or "z3" ? handle : IntPtr.Zero);
            }
            _loaded = true;
        }
    }

    private static string ShimPath()
    {
        string? dir = Path.GetDirectoryName(typeof(Z3Runtime).Assembly.Location);
        if (string.IsNullOrEmpty(dir)) dir = AppContext.BaseDirectory;
        return Path.Combine(dir, ShimFileName);
    }

    /// <summary>The shim's counters (Linux only; null elsewhere).</summary>
    public static ShimStats? Stats()
    {
        EnsureLoaded();
        if (_shim == IntPtr.Zero) return null;
        var v = new ulong[8];
        Marshal.GetDelegateForFunctionPointer<StatsFunction>(NativeLibrary.GetExport(_shim, "z3shim_stats"))(v, v.Length);
        return new ShimStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    /// <summary>Frees every quarantined (already deleted) context now. For tests.</summary>
    public static void FlushRetiredContexts()
    {
        EnsureLoaded();
        if (_shim == IntPtr.Zero) return;
        Marshal.GetDelegateForFunctionPointer<FlushFunction>(NativeLibrary.GetExport(_shim, "z3shim_flush_retired"))();
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int StatsFunction([Out] ulong[] values, int count);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FlushFunction();
}

/// <summary>Counters of the native shim: releases queued, applied at safe points, dropped (for deleted contexts).</summary>
public readonly record struct ShimStats(
    ulong Queued, ulong Applied, ulong Dropped, ulong ContextsCreated, ulong ContextsDeleted,
    ulong ContextsLive, ulong ContextsQuarantined, ulong InterruptsDropped);
