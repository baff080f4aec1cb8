using System.Net.Sockets;
using System.Text;

namespace Stasis.IntegrationTests.Networking;

/// <summary>A busy peer: one TCP connection that sends "1\n", "2\n", … every 100 ms until stopped, and records
/// whether any write failed (a reset connection fails the next write).</summary>
internal sealed class NumberClient : IAsyncDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public int Sent { get; private set; }
    public Exception? Failure { get; private set; }

    public static async Task<NumberClient> ConnectAsync(string ip, int port, CancellationToken ct)
    {
        var c = new NumberClient();
        await c._client.ConnectAsync(ip, port, ct);
        c._loop = c.SendAsync();
        return c;
    }

    private async Task SendAsync()
    {
        var stream = _client.GetStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{Sent + 1}\n"), _stop.Token);
                Sent++;
                await Task.Delay(100, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Failure = e;
        }
    }

    /// <summary>Stops sending (the connection stays open) and returns how many numbers went out.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        return Sent;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }
}
