using Spectre.Console;
using Stasis.Checkpoints;

namespace Stasis.Cli.Output;

/// <summary>The progress bar of export and import (bytes, rate, time left), drawn on stderr and only when stderr is a
/// terminal, so stdout can carry the archive and scripts see nothing but the result.</summary>
internal static class ArchiveProgressBar
{
    public static async Task<T> RunAsync<T>(CliContext ctx, string description, Func<IProgress<ArchiveProgress>?, Task<T>> work)
    {
        if (!ReferenceEquals(ctx.Err, Console.Error) || Console.IsErrorRedirected) return await work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async p =>
            {
                var task = p.AddTask(description, autoStart: true, maxValue: 1);
                task.IsIndeterminate = true;
                var result = await work(new Reporter(task));
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }

    /// <summary>Updates the bar straight from the reporting thread (Spectre's task is thread-safe); Progress&lt;T&gt;
    /// would queue one callback per buffer.</summary>
    private sealed class Reporter(ProgressTask task) : IProgress<ArchiveProgress>
    {
        public void Report(ArchiveProgress value)
        {
            if (value.TotalBytes is { } total && total > 0)
            {
                if (task.IsIndeterminate) task.IsIndeterminate = false;
                task.MaxValue = Math.Max(total, value.Bytes);
            }
            else if (value.Bytes > task.MaxValue)
            {
                task.MaxValue = value.Bytes * 2;
            }
            task.Value = value.Bytes;
        }
    }
}
