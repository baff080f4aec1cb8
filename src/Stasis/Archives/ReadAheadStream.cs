using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace Stasis.Archives;

/// <summary>Read-only stream fed by a task of its own that reads (and so decompresses) the source ahead of the
/// consumer, a few MiB at most, so decompression and unpacking run on two cores like `zstd -d | tar x`. An error of
/// the source surfaces on the consumer's next read.</summary>
internal sealed class ReadAheadStream : Stream
{
    private const int ChunkSize = 1 << 20;
    private const int Depth = 8;

    private readonly Channel<(byte[] Buffer, int Length)> _chunks =
        Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;
    private (byte[] Buffer, int Length) _current;
    private int _offset;
    private bool _ended;
    private long _sourceTicks;

    public ReadAheadStream(Stream source, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _producer = Task.Run(() => ProduceAsync(source, _stop.Token), CancellationToken.None);
    }

    /// <summary>Time the producer spent reading the source (decompressing, waiting for input).</summary>
    public TimeSpan SourceBusy => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _sourceTicks));

    private async Task ProduceAsync(Stream source, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var start = Stopwatch.GetTimestamp();
                var n = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                Interlocked.Add(ref _sourceTicks, Stopwatch.GetTimestamp() - start);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                await _chunks.Writer.WriteAsync((buffer, n), ct).ConfigureAwait(false);
                if (n < ChunkSize) break;
            }
            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _chunks.Writer.TryComplete(e);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _ended) return 0;
        if (_current.Buffer is null || _offset == _current.Length)
        {
            ReturnCurrent();
            try
            {
                if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _ended = true;
                    return 0;
                }
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
            _chunks.Reader.TryRead(out _current);
            _offset = 0;
        }
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Buffer.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    private void ReturnCurrent()
    {
        if (_current.Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _current = default;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            try { _producer.Wait(); }
            catch (AggregateException) { /* its error was reported to the reader, or nobody is listening any more */ }
            ReturnCurrent();
            while (_chunks.Reader.TryRead(out var chunk)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
