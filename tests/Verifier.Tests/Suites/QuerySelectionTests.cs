using CsCheck;
using Verify.Errors;
using Verify.Suites;

namespace Verify.Tests.Suites;

public class QuerySelectionTests
{
    private static List<SuiteQuery> Queries(int count) =>
        Enumerable.Range(0, count).Select(i => new SuiteQuery(i, $"q{i}/eps={i}", "certify", "n.json", null, new SuiteBox("b", [0], [1]),
            0.1, null, null, 1, "auto", 1, [])).ToList();

    [Test]
    public void ShardsCoverEveryQueryExactlyOnce()
    {
        foreach (int total in new[] { 0, 1, 4, 7, 13 })
        {
            var all = Queries(total);
            for (int n = 1; n <= 5; n++)
            {
                var seen = Enumerable.Range(1, n).SelectMany(i => QuerySelection.Shard(all, i, n)).Select(q => q.Index).OrderBy(i => i);
                Assert.That(seen, Is.EqualTo(Enumerable.Range(0, total)), $"{total} queries, {n} shards");
            }
        }
    }

    [Test]
    public void ShardingIsAPartitionForAnySizeAndDoesNotDependOnTheFilter() =>
        Gen.Select(Gen.Int[0, 300], Gen.Int[1, 64]).Sample((total, n) =>
        {
            var all = Queries(total);
            var shards = Enumerable.Range(1, n).Select(i => QuerySelection.Shard(all, i, n).Select(q => q.Index).ToList()).ToList();
            var filtered = QuerySelection.Filter(all, "q1*").ToList();
            return shards.SelectMany(s => s).Order().SequenceEqual(Enumerable.Range(0, total))
                   && shards.All(s => s.Count >= total / n && s.Count <= total / n + 1)
                   && Enumerable.Range(1, n).All(i => QuerySelection.Shard(filtered, i, n)
                          .SequenceEqual(QuerySelection.Filter(QuerySelection.Shard(all, i, n), "q1*")));
        }, iter: 200);

    [Test]
    public void ShardSyntaxIsChecked()
    {
        Assert.That(QuerySelection.ParseShard("3/8"), Is.EqualTo((3, 8)));
        foreach (var bad in new[] { "0/8", "9/8", "1/0", "x/2", "1", "1/2/3" })
            Assert.Throws<UsageException>(() => QuerySelection.ParseShard(bad), bad);
    }

    [Test]
    public void GlobMatchesWholeNames()
    {
        var all = Queries(12);
        Assert.That(QuerySelection.Filter(all, "q1*").Select(q => q.Name), Is.EqualTo(new[] { "q1/eps=1", "q10/eps=10", "q11/eps=11" }));
        Assert.That(QuerySelection.Filter(all, "q?/eps=3").Select(q => q.Name), Is.EqualTo(new[] { "q3/eps=3" }));
        Assert.That(QuerySelection.Filter(all, "eps=3"), Is.Empty);
    }
}
