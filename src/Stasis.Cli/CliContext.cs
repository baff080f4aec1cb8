using System.CommandLine;

namespace Stasis.Cli;

/// <summary>Global options and the glue every command shares: building the engine, turning failures into one
/// clear line and an exit code.</summary>
internal sealed class CliContext
{
    public Option<string?> Root { get; } = new("--root")
    {
        Description = "State root (default: $STASIS_ROOT or /var/lib/stasis)",
        Recursive = true,
    };

    public Option<string?> RunRoot { get; } = new("--run-root")
    {
        Description = "Runtime state root (default: /run/stasis for the default root, else ROOT/run)",
        Recursive = true,
    };

    public Option<string?> Criu { get; } = new("--criu")
    {
        Description = "CRIU binary (default: $STASIS_CRIU, /opt/stasis/criu/bin/criu, or criu on PATH)",
        Recursive = true,
    };

    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Err { get; init; } = Console.Error;

    public Engine CreateEngine(ParseResult pr)
    {
        var root = pr.GetValue(Root);
        return new Engine(new EngineOptions
        {
            Root = root ?? new EngineOptions().Root,
            RunRoot = pr.GetValue(RunRoot),
            CriuPath = pr.GetValue(Criu),
            ExitCommand = ExitCommandPath(),
        });
    }

    /// <summary>conmon calls the CLI back when a container exits, so its mount and namespace are released even
    /// when no stasis command runs; only when this process is the installed apphost (not `dotnet stasis.dll`).</summary>
    private static string? ExitCommandPath()
    {
        var path = Environment.ProcessPath;
        return path is not null && !Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.Ordinal) ? path : null;
    }

    /// <summary>Runs a command body with the engine, mapping failures to "Error: …" and the error's exit code.</summary>
    public async Task<int> RunAsync(ParseResult pr, CancellationToken ct, Func<Engine, Task<int>> body)
    {
        try
        {
            return await body(CreateEngine(pr)).ConfigureAwait(false);
        }
        catch (StasisException e)
        {
            await Err.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.For(e.Code);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Err.WriteLineAsync("Error: interrupted").ConfigureAwait(false);
            return 130;
        }
        catch (UnauthorizedAccessException e)
        {
            await Err.WriteLineAsync($"Error: permission denied ({e.Message}); stasis needs root").ConfigureAwait(false);
            return ExitCodes.For(StasisErrorCode.General);
        }
        catch (IOException e) when (e.HResult == 28 || e.Message.Contains("No space left", StringComparison.Ordinal))
        {
            await Err.WriteLineAsync($"Error: no space left on device ({e.Message})").ConfigureAwait(false);
            return ExitCodes.For(StasisErrorCode.NoSpace);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // Unexpected, but still one line for the user; STASIS_DEBUG=1 shows where it came from.
            await Err.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("STASIS_DEBUG") == "1") await Err.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            return ExitCodes.For(StasisErrorCode.General);
        }
    }
}
