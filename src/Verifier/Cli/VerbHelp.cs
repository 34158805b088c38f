using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Verify.Cli;

/// <summary>
/// `verify --help` lists one line per verb; a verb's own `--help` gives its whole description. A verb whose
/// description has several lines keeps the first as its summary: the listing shows only that line, and this help
/// action swaps the full text in while the verb's own help is printed.
/// </summary>
public sealed class VerbHelp : SynchronousCommandLineAction
{
    private readonly HelpAction _inner;
    private readonly Dictionary<Command, string> _details = [];

    private VerbHelp(HelpAction inner) => _inner = inner;

    public override bool ClearsParseErrors => true;

    /// <summary>Shortens every multi-line description under <paramref name="root"/> to its first line and installs the help action.</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (option?.Action is not HelpAction inner) return;
        var help = new VerbHelp(inner);
        help.Collect(root);
        option.Action = help;
    }

    private void Collect(Command command)
    {
        foreach (var sub in command.Subcommands)
        {
            if (sub.Description is { } text && text.IndexOf('\n') is var cut and > 0)
            {
                _details[sub] = text[(cut + 1)..].Trim();
                sub.Description = text[..cut].Trim();
            }
            Collect(sub);
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (!_details.TryGetValue(command, out var details)) return _inner.Invoke(parseResult);
        var summary = command.Description;
        command.Description = summary + "\n\n" + details;
        try { return _inner.Invoke(parseResult); }
        finally { command.Description = summary; }
    }
}
