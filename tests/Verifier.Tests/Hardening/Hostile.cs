namespace Verify.Tests.Hardening;

/// <summary>The mutated inputs of the hardening campaign (issue 19), kept under Data/hostile.</summary>
internal static class Hostile
{
    public static string Path(string name) => TestData.Path(System.IO.Path.Combine("hostile", name));

    public static string Scratch(string name) =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"verify-hostile-{Guid.NewGuid():N}-{name}");
}
