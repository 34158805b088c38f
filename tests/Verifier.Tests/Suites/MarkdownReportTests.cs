using Verify.Suites;

namespace Verify.Tests.Suites;

public class MarkdownReportTests
{
    [Test]
    public void EachQueryIsOneRowWithItsNote()
    {
        var results = new[]
        {
            new QueryResult("s/eps=0.01", "sensitivity", null, "measured", 0.25, null, 2.5, 0, Outcome.Mismatch, "mean ‖Δf‖∞ 0.02 outside [0, 0.01]\nq|x"),
            new QueryResult("d", "distance", "equal", "equal", 0, 0, 0.2, 0, Outcome.Pass, null),
        };
        var lines = ReportWriters.Markdown("s.yaml", results).Split('\n');
        Assert.That(lines, Does.Contain("| `s/eps=0.01` | sensitivity | - | measured | 0.25 | - | 2.50 | mismatch | mean ‖Δf‖∞ 0.02 outside [0, 0.01] q\\|x |"));
        Assert.That(lines, Does.Contain("| `d` | distance | equal | equal | 0 | 0 | 0.20 | pass |  |"));
        Assert.That(lines, Does.Contain("2 queries: 1 pass, 1 mismatch"));
    }
}
