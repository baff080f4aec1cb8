using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

// A busy peer for the networking benchmark: N connections to an echo server, each sending a numbered line every
// 100 ms and reading the echo. Reports connections lost (reset, closed, wrong echo) and the client-visible pause:
// the longest gap between two replies on any connection. Usage: PauseClient IP PORT CONNECTIONS SECONDS
var ip = args[0];
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
var clock = Stopwatch.StartNew();
var clients = new List<TcpClient>();
for (var i = 0; i < count; i++)
{
    var c = new TcpClient { NoDelay = true };
    await c.ConnectAsync(ip, port);
    clients.Add(c);
}
Console.Error.WriteLine($"connected {count} in {clock.ElapsedMilliseconds} ms");
var deadline = TimeSpan.FromSeconds(seconds);
clock.Restart();
var results = await Task.WhenAll(clients.Select(c => Task.Run(() => RunAsync(c))));
var lost = results.Count(r => r.Error is not null);
var maxGap = results.Max(r => r.MaxGapMs);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"connections={count} lost={lost} max_gap_ms={maxGap:F0} replies={results.Sum(r => r.Replies)}"));
foreach (var e in results.Where(r => r.Error is not null).Select(r => r.Error).Distinct().Take(3)) Console.WriteLine($"error: {e}");
return lost == 0 ? 0 : 1;

async Task<(int Replies, double MaxGapMs, string? Error)> RunAsync(TcpClient c)
{
    // The writer does not wait for replies: a busy peer keeps sending every 100 ms, also while the server is frozen.
    var stream = c.GetStream();
    var reader = new StreamReader(stream, Encoding.ASCII);
    var replies = 0;
    var maxGap = 0.0;
    using var stop = new CancellationTokenSource();
    var writer = Task.Run(async () =>
    {
        for (var n = 1; clock.Elapsed < deadline && !stop.IsCancellationRequested; n++)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n}\n"), stop.Token);
            await Task.Delay(100, stop.Token);
        }
    });
    // Reading ends at the deadline; a connection still silent then counts as lost.
    using var readEnd = new CancellationTokenSource(deadline - clock.Elapsed);
    try
    {
        var last = clock.Elapsed;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(readEnd.Token);
            }
            catch (OperationCanceledException) when (readEnd.IsCancellationRequested)
            {
                if ((clock.Elapsed - last).TotalSeconds > 2) return (replies, maxGap, "no reply in the last 2 s");
                break;
            }
            if (line != (replies + 1).ToString(CultureInfo.InvariantCulture)) return (replies, maxGap, line is null ? "closed by the server" : $"wrong echo {line}");
            var now = clock.Elapsed;
            maxGap = Math.Max(maxGap, (now - last).TotalMilliseconds);
            last = now;
            replies++;
        }
        return (replies, maxGap, null);
    }
    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
    {
        return (replies, maxGap, e.InnerException?.Message ?? e.Message);
    }
    finally
    {
        await stop.CancelAsync();
        try { await writer; } catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { }
        c.Dispose();
    }
}
