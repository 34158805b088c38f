using System.CommandLine;
using Verify.Errors;
using Verify.Specs;

namespace Verify.Cli;

/// <summary>
/// The input-box options shared by every verb that takes a box: `--lo a,b,c --hi a,b,c` (one number broadcasts
/// to every input), `--box-file F` (JSON {"lo":[..],"hi":[..]}) or `--vnnlib F`. Exactly one source may be given.
/// Usage: create one, <see cref="AddTo"/> the command, then <see cref="Resolve"/> in the action.
/// </summary>
public sealed class BoxOptions
{
    public Option<string?> Lo { get; } = new("--lo") { Description = "input box lower bounds: a,b,c or one number for every input (use --lo=-1 for a negative single value)" };
    public Option<string?> Hi { get; } = new("--hi") { Description = "input box upper bounds: a,b,c or one number for every input" };
    public Option<string?> BoxFile { get; } = new("--box-file") { Description = "input box as JSON {\"lo\":[..],\"hi\":[..]}" };
    public Option<string?> VnnLib { get; } = new("--vnnlib") { Description = "VNNLIB file: its input box (and output property)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Lo);
        command.Options.Add(Hi);
        command.Options.Add(BoxFile);
        command.Options.Add(VnnLib);
    }

    public bool IsGiven(ParseResult p) =>
        p.GetValue(Lo) is not null || p.GetValue(Hi) is not null || p.GetValue(BoxFile) is not null || p.GetValue(VnnLib) is not null;

    /// <summary>The box the user asked for, or null when none was given and <paramref name="required"/> is false.</summary>
    public InputBox? Resolve(ParseResult p, int inputSize, int? outputSize = null, bool required = true)
    {
        string? lo = p.GetValue(Lo), hi = p.GetValue(Hi), file = p.GetValue(BoxFile), vnn = p.GetValue(VnnLib);
        int sources = (lo is not null || hi is not null ? 1 : 0) + (file is not null ? 1 : 0) + (vnn is not null ? 1 : 0);
        if (sources == 0)
            return required ? throw new UsageException("an input box is required: give --lo and --hi, --box-file F, or --vnnlib F") : null;
        if (sources > 1) throw new UsageException("give only one input box: --lo/--hi, --box-file or --vnnlib");
        if (file is not null) return InputBoxSource.FromJsonFile(file, inputSize);
        if (vnn is not null) return InputBoxSource.FromVnnLib(vnn, inputSize, outputSize);
        if (lo is null || hi is null) throw new UsageException("--lo and --hi must be given together");
        return InputBoxSource.FromBounds(CommonOptions.ParseList(lo, "--lo"), CommonOptions.ParseList(hi, "--hi"), inputSize);
    }
}
