using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Verify.Tests.Architecture;

/// <summary>
/// The dependencies between Verify's top-level namespaces (Verify.Io.Onnx counts as Io, the root namespace Verify as
/// "Verify"), read from the compiled assemblies by ArchUnitNET: every type a type uses in its signatures, fields,
/// base types, attributes and method bodies.
/// </summary>
internal static class NamespaceGraph
{
    public static ArchUnitNET.Domain.Architecture Architecture { get; } =
        new ArchLoader().LoadAssemblies(typeof(Verify.Cli.IVerb).Assembly, typeof(Verify.Intervals.Interval).Assembly).Build();

    /// <summary>Edge (from, to) ↦ one example "FromType → ToType" for the failure message.</summary>
    public static IReadOnlyDictionary<(string From, string To), string> Edges { get; } = Build();

    public static string? Area(string? ns)
    {
        if (ns is null || !(ns == "Verify" || ns.StartsWith("Verify.", StringComparison.Ordinal))) return null;
        var parts = ns.Split('.');
        return parts.Length == 1 ? "Verify" : parts[1];
    }

    private static Dictionary<(string, string), string> Build()
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in Architecture.Types)
        {
            if (Area(type.Namespace?.FullName) is not { } from) continue;
            foreach (var d in type.Dependencies)
            {
                if (Area(d.Target.Namespace?.FullName) is not { } to || to == from) continue;
                edges.TryAdd((from, to), $"{type.FullName} → {d.Target.FullName}");
            }
        }
        return edges;
    }
}
