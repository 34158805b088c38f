namespace Verify.Tests.Architecture;

/// <summary>
/// The allowed dependency directions of docs/architecture.md: each top-level namespace may use only namespaces on a
/// lower level (never one beside it or above it), Results only Errors, Intervals, Model and Specs, and no cycles.
/// </summary>
public class DependencyDirectionTests
{
    /// <summary>Lower levels first: data flows upwards, from files to the command line.</summary>
    private static readonly string[][] Levels =
    [
        ["Errors", "Intervals"],
        ["Model"],
        ["Io"],
        ["Specs"],
        ["Results", "Certificates", "Checker"],
        ["Bab"],
        ["Bounds", "Symmetry"],
        ["Search", "Smt"],
        ["Certify"],
        ["Equivalence", "Sensitivity"],
        ["InverseStability"],
        ["Suites"],
        ["Cli"],
        ["Verify"],
    ];

    /// <summary>Results is a leaf: result records and their JSON know nothing of the engine or of files.</summary>
    private static readonly string[] ResultsMayUse = ["Errors", "Intervals", "Model", "Specs"];

    /// <summary>The certificate checker shares no code with the engine that makes certificates: only the network
    /// model, the readers, the exceptions and exact rationals (docs/certificates.md).</summary>
    private static readonly string[] CheckerMayUse = ["Errors", "Intervals", "Model", "Io"];

    /// <summary>
    /// Edges that break the rules today, each with the change that removes it. A test below fails once an entry is no
    /// longer needed, so the list only shrinks.
    /// </summary>
    private static readonly (string From, string To, string Why)[] KnownExceptions =
    [
    ];

    private static int Level(string area)
    {
        int i = Array.FindIndex(Levels, l => l.Contains(area));
        return i >= 0 ? i : throw new AssertionException($"namespace Verify.{area} has no level in DependencyDirectionTests.Levels: give it one (and a line in docs/architecture.md)");
    }

    [Test]
    public void GraphIsReadFromTheAssemblies()
    {
        // Guards the other tests against passing on an empty graph.
        Assert.That(NamespaceGraph.Edges.Keys, Does.Contain(("Cli", "Certify")).And.Contain(("Certify", "Bounds")).And.Contain(("Bounds", "Model")));
    }

    [Test]
    public void EveryNamespaceUsesOnlyLowerLevels()
    {
        var wrong = NamespaceGraph.Edges
            .Where(e => Level(e.Key.To) >= Level(e.Key.From) && !KnownExceptions.Any(k => (k.From, k.To) == e.Key))
            .Select(e => $"{e.Key.From} → {e.Key.To} (e.g. {e.Value})")
            .ToList();
        Assert.That(wrong, Is.Empty, "dependencies against the allowed direction (docs/architecture.md):\n" + string.Join("\n", wrong));
    }

    [Test]
    public void ResultsDependsOnNothingAboveSpecs()
    {
        var wrong = NamespaceGraph.Edges.Where(e => e.Key.From == "Results" && !ResultsMayUse.Contains(e.Key.To))
            .Select(e => $"Results → {e.Key.To} (e.g. {e.Value})").ToList();
        Assert.That(wrong, Is.Empty, string.Join("\n", wrong));
    }

    [Test]
    public void CheckerDependsOnlyOnModelIoErrorsAndIntervals()
    {
        var wrong = NamespaceGraph.Edges.Where(e => e.Key.From == "Checker" && !CheckerMayUse.Contains(e.Key.To))
            .Select(e => $"Checker → {e.Key.To} (e.g. {e.Value})").ToList();
        Assert.That(NamespaceGraph.Edges.Keys, Does.Contain(("Checker", "Model")), "the graph must see the checker");
        Assert.That(wrong, Is.Empty, string.Join("\n", wrong));
    }

    [Test]
    public void KnownExceptionsAreStillNeeded()
    {
        var stale = KnownExceptions.Where(k => !NamespaceGraph.Edges.ContainsKey((k.From, k.To))).Select(k => $"{k.From} → {k.To}").ToList();
        Assert.That(stale, Is.Empty, "these edges are gone: delete them from KnownExceptions");
    }

    /// <summary>Implied by the levels, but checked on its own so that a cycle is named as one. (ArchUnitNET's slice
    /// rule is not used: it slices by full namespace, so Suites and Suites.Kinds would count as two areas.)</summary>
    [Test]
    public void TopLevelNamespacesAreFreeOfCycles()
    {
        var cycle = FindCycle(NamespaceGraph.Edges.Keys);
        Assert.That(cycle, Is.Null, cycle is null ? "" : "namespace cycle: " + string.Join(" → ", cycle));
    }

    /// <summary>A cycle of the directed graph as its list of nodes (first repeated at the end), or null.</summary>
    internal static IReadOnlyList<string>? FindCycle(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).OrderBy(t => t, StringComparer.Ordinal).ToList());
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: finished
        var path = new List<string>();
        List<string>? Visit(string n)
        {
            state[n] = 1;
            path.Add(n);
            foreach (var m in next.GetValueOrDefault(n) ?? [])
            {
                if (state.GetValueOrDefault(m) == 1) return [.. path.Skip(path.IndexOf(m)), m];
                if (state.GetValueOrDefault(m) == 0 && Visit(m) is { } c) return c;
            }
            path.RemoveAt(path.Count - 1);
            state[n] = 2;
            return null;
        }
        foreach (var n in next.Keys.OrderBy(k => k, StringComparer.Ordinal))
            if (state.GetValueOrDefault(n) == 0 && Visit(n) is { } cycle) return cycle;
        return null;
    }

    [Test]
    public void FindCycleFindsOneAndOnlyOne()
    {
        Assert.That(FindCycle([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]), Is.EqualTo(new[] { "A", "B", "C", "A" }));
        Assert.That(FindCycle([("A", "B"), ("B", "C"), ("A", "C")]), Is.Null);
    }
}
