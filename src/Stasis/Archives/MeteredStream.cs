using System.Diagnostics;

namespace Stasis.Archives;

/// <summary>Pass-through stream that counts the bytes going through it and the wall time spent inside the inner
/// stream's calls, so an overlapped pipeline can still say where its time went (and drive a progress bar).</summary>
internal sealed class MeteredStream(Stream inner, Action<long>? onBytes = null, bool leaveOpen = false) : Stream
{
    private long _busyTicks;

    /// <summary>Bytes read or written so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Time spent inside the inner stream (its reads, writes, flushes and disposal).</summary>
    public TimeSpan Busy => Stopwatch.GetElapsedTime(0, _busyTicks);

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var start = Stopwatch.GetTimestamp();
        var n = inner.Read(buffer);
        Count(start, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(start, n);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Write(buffer);
        Count(start, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(start, buffer.Length);
    }

    private void Count(long start, int n)
    {
        _busyTicks += Stopwatch.GetTimestamp() - start;
        if (n <= 0) return;
        Bytes += n;
        onBytes?.Invoke(Bytes);
    }

    public override void Flush()
    {
        var start = Stopwatch.GetTimestamp();
        inner.Flush();
        _busyTicks += Stopwatch.GetTimestamp() - start;
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        _busyTicks += Stopwatch.GetTimestamp() - start;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            var start = Stopwatch.GetTimestamp();
            inner.Dispose();
            _busyTicks += Stopwatch.GetTimestamp() - start;
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            var start = Stopwatch.GetTimestamp();
            await inner.DisposeAsync().ConfigureAwait(false);
            _busyTicks += Stopwatch.GetTimestamp() - start;
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
