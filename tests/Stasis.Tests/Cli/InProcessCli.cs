using Stasis.Cli;
using Xunit;

namespace Stasis.Tests.Cli;

/// <summary>Runs the real `stasis` command line in this process, capturing what it prints.</summary>
internal static class InProcessCli
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var exit = await Program.RunAsync(args, new CliContext { Out = o, Err = e }, TestContext.Current.CancellationToken);
        return (exit, o.ToString(), e.ToString());
    }

    /// <summary>Lines of output that start with "Error:".</summary>
    public static string[] ErrorLines(string err) =>
        err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToArray();
}
