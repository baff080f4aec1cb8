using System.Runtime.CompilerServices;
using System.Text;
using Stasis.Containers;

namespace Stasis;

public sealed partial class Engine
{
    /// <summary>The container's output, as conmon logged it; with <paramref name="follow"/>, keeps reading new
    /// lines until the container stops (across checkpoint and restore the log continues in the same file).</summary>
    public async IAsyncEnumerable<LogLine> ReadLogsAsync(string container, bool follow = false,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        var path = _paths.Log(rec.Id);
        long position = 0;
        var pending = new StringBuilder();
        var buffer = new byte[1 << 16];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var idleChecks = 0;
        var stopped = false;
        while (!ct.IsCancellationRequested)
        {
            var grew = false;
            if (File.Exists(path))
            {
                await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false);
                if (fs.Length < position) position = 0; // rotated or recreated
                fs.Position = position;
                int n;
                while ((n = await fs.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    grew = true;
                    position += n;
                    var c = decoder.GetChars(buffer, 0, n, chars, 0);
                    pending.Append(chars, 0, c);
                }
            }
            var text = pending.ToString();
            var lastNl = text.LastIndexOf('\n');
            if (lastNl >= 0)
            {
                foreach (var line in text[..lastNl].Split('\n'))
                    if (LogParser.Parse(line) is { } parsed) yield return parsed;
                pending.Clear().Append(text[(lastNl + 1)..]);
            }
            if (!follow) yield break;
            if (!grew)
            {
                if (stopped) yield break;
                // Check the container's state now and then, not on every poll.
                if (++idleChecks % 10 == 0)
                {
                    var state = (await InspectAsync(rec.Id, ct).ConfigureAwait(false)).State;
                    // Once more round: what conmon wrote between the last read and the exit is still shown.
                    if (state is not (ContainerState.Running or ContainerState.Created)) { stopped = true; continue; }
                }
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
    }
}
