using Verify.Errors;
using Verify.Smt;

namespace Verify.Cli;

/// <summary>The only place where exceptions become one-line messages and exit codes.</summary>
public static class VerbRunner
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (VerifyException e)
        {
            Console.Error.WriteLine("verify: error: " + OneLine(e.Message));
            return (int)e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("verify: cancelled");
            return (int)ExitCode.Unknown;
        }
        catch (Exception e) when (SolverSession.IsInterruption(e))
        {
            // A timeout that reached Z3 outside a check: no answer, which is what unknown means.
            Console.Error.WriteLine("verify: timeout: the solver was interrupted (" + OneLine(e.Message) + "); the answer is unknown");
            return (int)ExitCode.Unknown;
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("verify: internal error: out of memory");
            return (int)ExitCode.Internal;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"verify: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("VERIFY_DEBUG") == "1") Console.Error.WriteLine(e);
            return (int)ExitCode.Internal;
        }
    }

    public static Task<int> RunAsync(Func<Task<int>> action) => Task.FromResult(Run(() => action().GetAwaiter().GetResult()));

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
