using System.CommandLine;
using Verify.Cli;
using Verify.Errors;

namespace Verify;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = BuildRoot();
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("verify: usage error: " + e.Message);
            return (int)ExitCode.Usage;
        }
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine("verify: usage error: " + parsed.Errors[0].Message + " (see verify --help)");
            return (int)ExitCode.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Verify: certified bounds on how far a ReLU network's output moves when its weights move.");
        var verbs = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IVerb).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Select(t => ((IVerb)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var c in verbs) root.Subcommands.Add(c);
        VerbHelp.Install(root);
        return root;
    }
}
