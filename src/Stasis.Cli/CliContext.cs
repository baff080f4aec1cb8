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

    /// <summary>Cancels what runs through <see cref="Run"/> besides SIGINT and SIGTERM (the caller's token).</summary>
    public CancellationToken Cancellation { get; set; }

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
        catch (Exception e) when (Describe(e, ct) is { } failure)
        {
            return Report(failure);
        }
    }

    /// <summary>As <see cref="RunAsync"/>, on this thread, for the verbs that run most (checkpoint, restore, run,
    /// ps …): a synchronous body skips the async plumbing (System.CommandLine's pipeline, this wrapper, the body's
    /// own state machine), whose generic instantiations are JIT-compiled at every start, a few ms of CPU per call.
    /// SIGINT and SIGTERM cancel the body's token as System.CommandLine did for async actions (see InterruptHandler).</summary>
    public int Run(ParseResult pr, Func<Engine, CancellationToken, int> body)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        using var interrupts = new InterruptHandler(cts);
        try
        {
            var engine = CreateEngine(pr);
            Stasis.Util.StartupTrace.Mark("engine");
            return body(engine, cts.Token);
        }
        catch (Exception e) when (Describe(e, cts.Token) is { } failure)
        {
            return Report(failure);
        }
    }

    /// <summary>Waits for an engine call inside a <see cref="Run"/> body (there is no synchronization context to
    /// deadlock on); its exceptions come out unwrapped.</summary>
    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait{T}(Task{T})"/>
    public static void Wait(Task task) => task.GetAwaiter().GetResult();

    /// <summary>The "Error: …" line and exit code of a failure a user can act on; null lets anything else through.
    /// No side effects: it runs as an exception filter, before the body's own finally blocks.</summary>
    private static Failure? Describe(Exception exception, CancellationToken ct) => exception switch
    {
        StasisException e => new Failure($"Error: {e.Message}", ExitCodes.For(e.Code), null),
        OperationCanceledException when ct.IsCancellationRequested => new Failure("Error: interrupted", 130, null),
        UnauthorizedAccessException e =>
            new Failure($"Error: permission denied ({e.Message}); stasis needs root", ExitCodes.For(StasisErrorCode.General), null),
        IOException e when e.HResult == 28 || e.Message.Contains("No space left", StringComparison.Ordinal) =>
            new Failure($"Error: no space left on device ({e.Message})", ExitCodes.For(StasisErrorCode.NoSpace), null),
        // Unexpected, but still one line for the user; STASIS_DEBUG=1 shows where it came from.
        IOException or InvalidOperationException or System.Text.Json.JsonException =>
            new Failure($"Error: {exception.Message}", ExitCodes.For(StasisErrorCode.General), exception),
        _ => null,
    };

    private int Report(Failure failure)
    {
        Err.WriteLine(failure.Line);
        if (failure.Unexpected is { } e && Environment.GetEnvironmentVariable("STASIS_DEBUG") == "1") Err.WriteLine(e.ToString());
        return failure.ExitCode;
    }
}
