using System.Text.Json.Nodes;
using Verify.Errors;
using Verify.Suites;
using Verify.Suites.Kinds;

namespace Verify.Tests.Suites;

/// <summary>The kinds beyond certify/equiv: their keys, command lines, and how their JSON answers are judged (no processes).</summary>
public class QueryKindTests
{
    private const string Header = """
        networks:
          - {name: a, path: nets/a.json}
          - {name: b, path: nets/b.json}
        boxes:
          - {name: unit, lo: [-1, -1], hi: [1, 1]}
          - {name: f, file: box.json}
        queries:

        """;

    private static Suite Parse(string queries) => SuiteParser.Parse(Header + queries, "/tmp/s/suite.yaml");

    private static BadInputException Fails(string queries) => Assert.Throws<BadInputException>(() => Parse(queries))!;

    private static SuiteQuery One(string queries) => Parse(queries).Queries.Single();

    [Test]
    public void KeysOfAnotherKindAreUnknownKeysWithPositions()
    {
        var e = Fails("  - kind: distance\n    network: a\n    network2: b\n    threshold: 1\n");
        Assert.That(e.Position, Is.EqualTo("11:5"));
        Assert.That(e.Message, Does.Contain("unknown key 'threshold' in distance query"));
        Assert.That(Fails("  - kind: equiv\n    network: a\n    network2: b\n    box: unit\n    eps: 0.1\n    method: ibp\n").Position, Is.EqualTo("13:5"));
        Assert.That(Fails("  - kind: inverse-stability-examples\n    k: 2\n    network: a\n").Message, Does.Contain("unknown key 'network'"));
    }

    [Test]
    public void EmptyMatrixListsAreErrors()
    {
        Assert.That(Fails("  - kind: distance\n    networks: []\n    network2: b\n").Message, Does.Contain("9:15: networks must not be an empty list"));
        Assert.That(Fails("  - kind: certify\n    network: a\n    box: unit\n    eps: []\n").Message, Does.Contain("11:10: eps must not be an empty list"));
    }

    [Test]
    public void ExpectTakesTheKindsOwnVerdicts()
    {
        Assert.That(Fails("  - kind: distance\n    network: a\n    network2: b\n    expect: verified\n").Message,
            Does.Contain("11:13: expect 'verified' is not one of equal, different, unknown"));
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    box: unit\n    eps: 0.1\n    expect: verified\n").Message,
            Does.Contain("unknown key 'expect' in sensitivity query"));
        Assert.That(One("  - kind: inverse-stability-conditions\n    network: a\n    expect: violated\n").Expect, Is.EqualTo("violated"));
    }

    [Test]
    public void SensitivityChecksItsNoiseAndInput()
    {
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    box: f\n    eps: 0.1\n").Message, Does.Contain("10:10: box 'f': sensitivity takes lo/hi boxes only"));
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    box: unit\n    ratio: 0.1\n").Message, Does.Contain("needs 'layer' or 'allLayers: true'"));
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    box: unit\n    eps: 0.1\n    ratio: 0.1\n").Message, Does.Contain("only one of eps, ratio"));
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    eps: 0.1\n").Message, Does.Contain("exactly one of 'box' (lo/hi) and 'x'"));
        var e = Fails("  - kind: sensitivity\n    network: a\n    box: unit\n    eps: 0.1\n    expectQuantiles: {\"0.95\": [0, 1]}\n");
        Assert.That(e.Position, Is.EqualTo("12:23"));
        Assert.That(e.Message, Does.Contain("unknown key '0.95' in expectQuantiles (allowed: 0.5, 0.9, 0.99, max)"));
        Assert.That(Fails("  - kind: sensitivity\n    network: a\n    box: unit\n    eps: 0.1\n    expectMean: [2, 1]\n").Message, Does.Contain("lo ≤ hi"));
    }

    [Test]
    public void SensitivityRatioListExpandsAndBuildsTheCommandLine()
    {
        var s = Parse("""
              - name: s
                kind: sensitivity
                networks: [a, b]
                x: [0.5, -0.25]
                ratio: [0.01, 0.1]
                layer: 2
                norm: spectral
                distribution: gaussian
                samples: 1000
                timeout: 8
                expectMean: [0, 1]
            """);
        Assert.That(s.Queries.Select(q => q.Name), Is.EqualTo(new[] { "s/a/ratio=0.01", "s/a/ratio=0.1", "s/b/ratio=0.01", "s/b/ratio=0.1" }));
        var args = QueryCommand.Arguments(s.Queries[1], "/tmp/r.json");
        Assert.That(string.Join(" ", args), Is.EqualTo(
            "sensitivity --net /tmp/s/nets/a.json --ratio 0.1 --layer-noise 2 --norm spectral --distribution gaussian --samples 1000 " +
            "--x 0.5,-0.25 --seed 1 --json /tmp/r.json --certify-timeout 4"));
    }

    [Test]
    public void ACertifyQueryWithANormBallSweepsTheRatioAndNeedsItsLayerAndNorm()
    {
        const string Certify = "  - kind: certify\n    network: a\n    box: unit\n";
        var s = Parse(Certify + "    ratio: [0.001, 0.01]\n    layer: 3\n    norm: spectral\n    threshold: 0.2\n");
        Assert.That(s.Queries.Select(q => q.Name), Is.EqualTo(new[] { "certify/ratio=0.001", "certify/ratio=0.01" }));
        Assert.That(string.Join(" ", QueryCommand.Arguments(s.Queries[1], "j")), Is.EqualTo(
            "certify --net /tmp/s/nets/a.json --method auto --threshold 0.2 --layer-noise 3 --norm spectral --ratio 0.01 --seed 1 --json j --timeout 20 --lo -1,-1 --hi 1,1"));
        Assert.That(Fails(Certify + "    ratio: 0.1\n    norm: fro\n").Message,
            Does.Contain("11:12: 'ratio' needs 'layer' (1-based) and 'norm' (fro or spectral)"));
        Assert.That(Fails(Certify + "    eps: 0.1\n    layer: 2\n").Message,
            Does.Contain("12:12: 'layer' and 'norm' go with 'ratio' (a norm ball), not with 'eps'"));
        Assert.That(Fails(Certify + "    ratio: 0.1\n    layer: 0\n    norm: fro\n").Message,
            Does.Contain("layer must be ≥ 1"));
        Assert.That(Fails(Certify + "    ratio: 0.1\n    layer: 2\n    norm: nuclear\n").Message,
            Does.Contain("norm 'nuclear' is not one of fro, spectral"));
        Assert.That(Fails(Certify + "    eps: 0.1\n    ratio: 0.1\n").Message, Does.Contain("give only one of eps, ratio"));
    }

    [Test]
    public void OtherKindsBuildTheirVerbsCommandLines()
    {
        var c9 = One("  - kind: certify\n    network: a\n    box: unit\n    eps: 0.01\n    threshold: 0.5\n    timeout: 9\n");
        Assert.That(string.Join(" ", QueryCommand.Arguments(c9, "j")), Is.EqualTo(
            "certify --net /tmp/s/nets/a.json --method auto --threshold 0.5 --eps 0.01 --seed 1 --json j --timeout 3 --lo -1,-1 --hi 1,1"),
            "certify's splitting and attack phases each get --timeout: a third of the query's limit");
        var d = One("  - kind: distance\n    network: a\n    network2: b\n    modulo: perm\n    timeout: 6\n");
        Assert.That(string.Join(" ", QueryCommand.Arguments(d, "j")), Is.EqualTo("distance --net /tmp/s/nets/a.json --net2 /tmp/s/nets/b.json --json j --modulo perm --timeout 3"));
        var c = One("  - kind: inverse-stability-conditions\n    network: a\n    network2: b\n    args: [--format, json]\n");
        Assert.That(string.Join(" ", QueryCommand.Arguments(c, "j")),
            Is.EqualTo("inverse-stability conditions --net /tmp/s/nets/a.json --json j --net2 /tmp/s/nets/b.json --format json"));
        var x = One("  - kind: inverse-stability-examples\n    k: 3\n    r: 5/2\n");
        Assert.That(string.Join(" ", QueryCommand.Arguments(x, "j")), Is.EqualTo("inverse-stability examples --k 3 --r 5/2 --json j"));
    }

    [Test]
    public void ExpectedExampleRowsAreChecked()
    {
        Assert.That(Fails("  - kind: inverse-stability-examples\n    k: 2\n    expectRows:\n      - {example: \"2.4\", k: 3, realization: 1/3}\n").Message,
            Does.Contain("11:29: row k must be between 1 and the query's k = 2"));
        Assert.That(Fails("  - kind: inverse-stability-examples\n    k: 2\n    expectRows:\n      - {example: \"2.4\", k: 1, realization: one}\n").Message,
            Does.Contain("realization must be an exact rational"));
        Assert.That(Fails("  - kind: inverse-stability-examples\n    k: 2\n    expectRows:\n      - {example: \"2.4\", k: 1}\n").Message,
            Does.Contain("needs at least one of"));
    }

    private static JsonNode ExampleTable() => JsonNode.Parse("""
        {"examples": [
          {"example": "2.4", "k": 2, "norm": "sup", "realization": {"lower": "1/2", "upper": "1/2"}, "parameter": {"lower": "2", "upper": "4"}},
          {"example": "2.4", "k": 2, "norm": "sobolev", "realization": {"lower": "1/2", "upper": "1/2"}, "parameter": {"lower": "2", "upper": "4"}}]}
        """)!;

    [TestCase("{example: \"2.4\", k: 2, realization: 1/2, parameterLower: \"2\", parameterUpper: \"4\"}", "match", Outcome.Pass)]
    [TestCase("{example: \"2.4\", k: 2, norm: sup, realization: \"0.5\"}", "match", Outcome.Pass)]
    [TestCase("{example: \"2.4\", k: 2, parameterLower: 3}", "differs", Outcome.Mismatch)]
    [TestCase("{example: \"2.4\", k: 1, realization: \"1\"}", "differs", Outcome.Mismatch)]
    [TestCase("{example: \"2.5\", k: 2, realization: \"3\"}", "differs", Outcome.Mismatch)]
    public void ExampleRowsMustMatchExactly(string row, string verdict, Outcome outcome)
    {
        var q = One($"  - kind: inverse-stability-examples\n    k: 2\n    expectRows:\n      - {row}\n");
        var reading = QueryCommand.KindOf(q).Read(q, ExampleTable(), 0);
        Assert.That((reading.Verdict, QueryResult.Judge(q, reading)), Is.EqualTo((verdict, outcome)), string.Join("; ", reading.Failures));
    }

    [TestCase(0.0, true, "", "equal", Outcome.Pass)]
    [TestCase(0.5, true, "expect: different\n    expectDistance: [0.4, 0.6]\n", "different", Outcome.Pass)]
    [TestCase(0.7, true, "expectDistance: [0.4, 0.6]\n", "different", Outcome.Mismatch)]
    [TestCase(0.5, false, "expectDistance: [0, 0.6]\n", "unknown", Outcome.Pass)]
    [TestCase(0.5, false, "expectDistance: [0.1, 0.6]\n", "unknown", Outcome.Unknown)]
    [TestCase(0.05, false, "expectDistance: [0.1, 0.6]\n", "unknown", Outcome.Mismatch)]
    [TestCase(0.5, false, "expect: different\n", "unknown", Outcome.Unknown)]
    [TestCase(0.0, false, "expect: different\n", "equal", Outcome.Mismatch)]
    public void DistanceUpperBoundsAreJudgedHonestly(double distance, bool exact, string expectations, string verdict, Outcome outcome)
    {
        var q = One("  - kind: distance\n    network: a\n    network2: b\n    " + expectations);
        var answer = new JsonObject { ["distance"] = distance, ["exact"] = exact };
        var reading = QueryCommand.KindOf(q).Read(q, answer, 0);
        Assert.That((reading.Verdict, QueryResult.Judge(q, reading)), Is.EqualTo((verdict, outcome)));
    }

    [TestCase(0.5, 0.9, 2.0, Outcome.Pass)]
    [TestCase(0.5, 0.9, 0.1, Outcome.Mismatch)]
    [TestCase(1.5, 0.9, 2.0, Outcome.Mismatch)]
    [TestCase(0.5, 1.2, 2.0, Outcome.Mismatch)]
    [TestCase(0.5, 0.9, null, Outcome.Unknown)]
    public void SensitivityRangesDecideTheOutcome(double mean, double q99, double? certified, Outcome outcome)
    {
        var q = One("  - kind: sensitivity\n    network: a\n    box: unit\n    eps: 0.1\n    expectMean: [0.4, 0.6]\n" +
                    "    expectQuantiles: {\"0.99\": [0.8, 1]}\n    expectUpper: [1, 3]\n");
        var answer = new JsonObject
        {
            ["mean"] = new JsonObject { ["inf"] = mean },
            ["quantiles"] = new JsonObject { ["inf"] = new JsonObject { ["0.99"] = q99, ["max"] = 1.0 } },
            ["certified"] = certified is { } c ? new JsonObject { ["upperInf"] = c } : null,
        };
        var reading = QueryCommand.KindOf(q).Read(q, answer, 0);
        Assert.That(QueryResult.Judge(q, reading), Is.EqualTo(outcome), string.Join("; ", reading.Failures));
    }

    [TestCase(0, "[]", "hold")]
    [TestCase(2, "[{\"condition\": \"C.2\", \"detail\": \"neurons 0 and 1\"}]", "violated")]
    public void ConditionsVerdictFollowsTheVerb(int exitCode, string violations, string verdict)
    {
        var q = One("  - kind: inverse-stability-conditions\n    network: a\n    expect: hold\n");
        var reading = QueryCommand.KindOf(q).Read(q, JsonNode.Parse($"{{\"violations\": {violations}}}")!, exitCode);
        Assert.That((reading.Verdict, QueryResult.Judge(q, reading)), Is.EqualTo((verdict, verdict == "hold" ? Outcome.Pass : Outcome.Mismatch)));
    }
}
