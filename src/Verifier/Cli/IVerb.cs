using System.CommandLine;

namespace Verify.Cli;

/// <summary>One command-line verb. Program registers every implementation it finds, so adding a verb is adding a file.</summary>
public interface IVerb
{
    Command Build();
}
