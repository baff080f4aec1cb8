using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Stasis.Archives;

/// <summary>Read-only stream fed by a thread of its own that reads (and so decompresses) the source ahead of the
/// consumer, a few MiB at most, so decompression and unpacking run on two cores like `zstd -d | tar x`. An error of
/// the source surfaces on the consumer's read once the chunks read before it are consumed.
/// A plain thread and a monitor rather than a channel and tasks: the async machinery over our types is JIT-compiled
/// on every CLI call (ReadyToRun cannot precompile it), which cost more than the whole read-ahead of a small archive.</summary>
internal sealed class ReadAheadStream : Stream
{
    private const int ChunkSize = 1 << 20;
    private const int Depth = 8;

    private readonly object _gate = new();
    private readonly Queue<ReadAheadChunk> _ready = new();
    private readonly CancellationToken _ct;
    private readonly CancellationTokenRegistration _wakeOnCancel;
    private readonly Thread _producer;
    private bool _stopping;
    private bool _sourceEnded;
    private ExceptionDispatchInfo? _error;
    private ReadAheadChunk? _current;
    private int _offset;
    private bool _ended;
    private long _sourceTicks;

    public ReadAheadStream(Stream source, CancellationToken ct)
    {
        _ct = ct;
        _wakeOnCancel = ct.Register(Wake);
        _producer = new Thread(() => Produce(source)) { IsBackground = true, Name = "stasis-read-ahead" };
        _producer.Start();
    }

    /// <summary>Time the producer spent reading the source (decompressing, waiting for input).</summary>
    public TimeSpan SourceBusy => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _sourceTicks));

    private void Produce(Stream source)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int n;
                var start = Stopwatch.GetTimestamp();
                try
                {
                    n = source.ReadAtLeast(buffer.AsSpan(0, ChunkSize), ChunkSize, throwOnEndOfStream: false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                Interlocked.Add(ref _sourceTicks, Stopwatch.GetTimestamp() - start);
                lock (_gate)
                {
                    while (_ready.Count >= Depth && !_stopping && !_ct.IsCancellationRequested) Monitor.Wait(_gate);
                    if (n == 0 || _stopping || _ct.IsCancellationRequested)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return;
                    }
                    _ready.Enqueue(new ReadAheadChunk(buffer, n));
                    Monitor.PulseAll(_gate);
                }
                if (n < ChunkSize) return;
            }
        }
        catch (Exception e)
        {
            lock (_gate) _error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            lock (_gate)
            {
                _sourceEnded = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _ended) return 0;
        if (_current is null || _offset == _current.Length)
        {
            ReturnCurrent();
            lock (_gate)
            {
                while (_ready.Count == 0 && !_sourceEnded)
                {
                    _ct.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
                _ct.ThrowIfCancellationRequested();
                if (!_ready.TryDequeue(out _current))
                {
                    _error?.Throw();
                    _ended = true;
                    return 0;
                }
                Monitor.PulseAll(_gate);
            }
            _offset = 0;
        }
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Buffer.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private void ReturnCurrent()
    {
        if (_current is { } c) ArrayPool<byte>.Shared.Return(c.Buffer);
        _current = null;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
            // The producer finishes the read it is in (decompressing at most one more chunk) and stops.
            _producer.Join();
            _wakeOnCancel.Dispose();
            ReturnCurrent();
            while (_ready.TryDequeue(out var chunk)) ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
        base.Dispose(disposing);
    }
}
