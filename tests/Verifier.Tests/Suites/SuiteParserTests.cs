using Verify.Errors;
using Verify.Suites;
using Verify.Suites.Kinds;

namespace Verify.Tests.Suites;

public class SuiteParserTests
{
    private const string Header = """
        networks:
          - name: a
            path: nets/a.json
          - name: b
            path: nets/b.json
        boxes:
          - name: unit
            lo: [-1, -1]
            hi: [1, 1]
        queries:

        """;

    private static BadInputException Fails(string text) =>
        Assert.Throws<BadInputException>(() => SuiteParser.Parse(text, "/tmp/s/suite.yaml"))!;

    [Test]
    public void UnknownKeyNamesFileLineAndColumn()
    {
        var e = Fails(Header + "  - kind: certify\n    network: a\n    box: unit\n    eps: 0.1\n    epsilon: 3\n");
        Assert.That(e.File, Is.EqualTo("/tmp/s/suite.yaml"));
        Assert.That(e.Position, Is.EqualTo("15:5"));
        Assert.That(e.Message, Does.Contain("unknown key 'epsilon'"));
    }

    [Test]
    public void TypeErrorPointsAtTheValue()
    {
        var e = Fails(Header + "  - kind: certify\n    network: a\n    box: unit\n    eps: [0.1, lots]\n");
        Assert.That(e.Position, Is.EqualTo("14:16"));
        Assert.That(e.Message, Does.Contain("eps must be a finite number"));
    }

    [Test]
    public void UnknownNetworkAndKindAreReported()
    {
        Assert.That(Fails(Header + "  - kind: certify\n    network: zz\n    box: unit\n    eps: 0.1\n").Message, Does.Contain("12:14: unknown network 'zz'"));
        Assert.That(Fails(Header + "  - kind: prove\n    network: a\n    box: unit\n    eps: 0.1\n").Position, Is.EqualTo("11:11"));
    }

    [Test]
    public void YamlSyntaxErrorHasAPosition()
    {
        var e = Fails("networks: [a, b\nqueries: x\n");
        Assert.That(e.Position, Is.EqualTo("1:13"), "just after the last scalar that parsed");
        Assert.That(e.Message, Does.StartWith("/tmp/s/suite.yaml:"));
    }

    [Test]
    public void ExpectOnCertifyNeedsAThreshold() =>
        Assert.That(Fails(Header + "  - kind: certify\n    network: a\n    box: unit\n    eps: 0.1\n    expect: verified\n").Message,
            Does.Contain("needs 'threshold'"));

    [Test]
    public void NetworkAndEpsListsExpandIntoTheirProduct()
    {
        var suite = SuiteParser.Parse(Header + """
              - name: certify
                kind: certify
                networks: [a, b]
                box: unit
                eps: [0.001, 0.01, 0.1]
                threshold: 1
                expect: verified
              - kind: certify
                network: b
                box: unit
                eps: 0.5
                timeout: 3
            defaults: {timeout: 7, method: ibp, seed: 4}
            """, "/tmp/s/suite.yaml");
        Assert.That(suite.Queries.Select(q => q.Name), Is.EqualTo(new[]
        {
            "certify/a/eps=0.001", "certify/a/eps=0.01", "certify/a/eps=0.1",
            "certify/b/eps=0.001", "certify/b/eps=0.01", "certify/b/eps=0.1", "certify",
        }));
        Assert.That(suite.Queries.Select(q => q.Index), Is.EqualTo(Enumerable.Range(0, 7)));
        var first = suite.Queries[0];
        Assert.That(first.Network, Is.EqualTo("/tmp/s/nets/a.json"));
        Assert.That((first.Timeout, first.Method, first.Seed, first.SpecAs<CertifySpec>().Threshold), Is.EqualTo((7.0, "ibp", 4, (double?)1)));
        Assert.That(suite.Queries[6].Timeout, Is.EqualTo(3));
    }

    [Test]
    public void DuplicateExpandedNamesAreRejected() =>
        Assert.That(Fails(Header + "  - kind: certify\n    network: a\n    box: unit\n    eps: 0.1\n  - kind: certify\n    network: b\n    box: unit\n    eps: 0.2\n").Message,
            Does.Contain("'certify' occurs twice"));

    [Test]
    public void JsonIsAcceptedToo()
    {
        var suite = SuiteParser.Parse("""
            {"networks": [{"name": "a", "path": "a.json"}, {"name": "b", "path": "b.json"}],
             "boxes": [{"name": "f", "file": "box.json"}],
             "queries": [{"kind": "equiv", "network": "a", "network2": "b", "box": "f", "eps": 0.01, "expect": "verified"}]}
            """, "/tmp/s/suite.json");
        var q = suite.Queries.Single();
        Assert.That((q.Name, q.Network2, q.Box!.File), Is.EqualTo(("equiv", "/tmp/s/b.json", "/tmp/s/box.json")));
    }
}
