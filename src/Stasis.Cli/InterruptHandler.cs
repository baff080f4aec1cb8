using System.Runtime.InteropServices;

namespace Stasis.Cli;

/// <summary>While a command body runs on the main thread: the first SIGINT or SIGTERM cancels its token, so it can
/// clean up (a checkpoint removes its staging folder and lets the container's traffic flow again) and end with
/// "interrupted"; a second one ends the process at once, as usual.</summary>
internal sealed class InterruptHandler : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signalled;

    public InterruptHandler(CancellationTokenSource cts)
    {
        _cts = cts;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _signalled, 1) != 0) return; // the second one: default handling ends the process
        context.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
    }
}
