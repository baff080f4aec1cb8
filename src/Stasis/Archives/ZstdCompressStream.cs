using System.Buffers;
using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Write-only stream that zstd-compresses into another stream through libzstd's streaming API,
/// multi-threaded by default. Dispose (or DisposeAsync) ends the frame; without it the output is truncated.</summary>
internal sealed class ZstdCompressStream : Stream
{
    public const int DefaultLevel = 3;
    private const int MinBufferSize = 1 << 20;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ZstdCompressContextHandle _context;
    private byte[]? _outBuffer;
    private int _outPos;
    private bool _disposed;

    /// <param name="workers">Compression threads; 0 compresses on the caller's thread. Default: every core.</param>
    public ZstdCompressStream(Stream output, int level = DefaultLevel, int? workers = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite) throw new ArgumentException("The output stream is not writable.", nameof(output));
        if (level < LibZstd.MinCLevel() || level > LibZstd.MaxCLevel())
            throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd levels run from {LibZstd.MinCLevel()} to {LibZstd.MaxCLevel()}.");
        _output = output;
        _leaveOpen = leaveOpen;
        _context = LibZstd.CreateCCtx();
        if (_context.IsInvalid) throw new OutOfMemoryException("zstd: cannot create a compression context.");
        try
        {
            Check(LibZstd.CCtxSetParameter(_context, LibZstd.CompressionLevelParameter, level), "set compression level");
            // A content checksum lets decompression catch corrupted archives, as the zstd CLI does.
            Check(LibZstd.CCtxSetParameter(_context, LibZstd.ChecksumFlagParameter, 1), "enable checksum");
            var threads = workers ?? Environment.ProcessorCount;
            if (threads > 0)
            {
                // A libzstd built without threads refuses nbWorkers; it then simply compresses inline.
                _ = LibZstd.CCtxSetParameter(_context, LibZstd.NbWorkersParameter, threads);
            }
        }
        catch
        {
            _context.Dispose();
            throw;
        }
        _outBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(MinBufferSize, (int)LibZstd.CStreamOutSize()));
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            Step(buffer[consumed..], LibZstd.EndContinue, ref consumed);
            if (_outPos == _outBuffer!.Length) DrainOutput();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var consumed = 0;
        while (consumed < buffer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(buffer.Span[consumed..], LibZstd.EndContinue, ref consumed);
            if (_outPos == _outBuffer!.Length) await DrainOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Pushes everything written so far through to the output (ends a zstd block, not the frame).</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Finish(LibZstd.EndFlush);
        _output.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await FinishAsync(LibZstd.EndFlush, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the current frame and pushes it to the output; what is written next starts a new frame. Lets
    /// the caller put bytes of its own between frames (see <see cref="ZstdFrames"/>).</summary>
    public async ValueTask EndFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await FinishAsync(LibZstd.EndFrame, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="EndFrameAsync"/>
    public void EndFrame()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Finish(LibZstd.EndFrame);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (disposing)
            {
                Finish(LibZstd.EndFrame);
                _output.Flush();
                if (!_leaveOpen) _output.Dispose();
            }
        }
        finally
        {
            Release();
            base.Dispose(disposing);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await FinishAsync(LibZstd.EndFrame, CancellationToken.None).ConfigureAwait(false);
            await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (!_leaveOpen) await _output.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Release();
            GC.SuppressFinalize(this);
        }
    }

    private void Release()
    {
        _context.Dispose();
        if (_outBuffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _outBuffer = null;
    }

    /// <summary>One ZSTD_compressStream2 call; returns zstd's "bytes still to flush" hint.</summary>
    private unsafe nuint Step(ReadOnlySpan<byte> input, int endOp, ref int consumed)
    {
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = _outBuffer)
        {
            var inBuf = new ZstdBuffer { Data = inPtr, Size = (nuint)input.Length, Pos = 0 };
            var outBuf = new ZstdBuffer { Data = outPtr, Size = (nuint)_outBuffer!.Length, Pos = (nuint)_outPos };
            var rc = LibZstd.CompressStream2(_context, &outBuf, &inBuf, endOp);
            Check(rc, "compress");
            consumed += (int)inBuf.Pos;
            _outPos = (int)outBuf.Pos;
            return rc;
        }
    }

    private void Finish(int endOp)
    {
        var unused = 0;
        while (true)
        {
            var remaining = Step([], endOp, ref unused);
            if (remaining == 0 || _outPos == _outBuffer!.Length) DrainOutput();
            if (remaining == 0) return;
        }
    }

    private async ValueTask FinishAsync(int endOp, CancellationToken cancellationToken)
    {
        var unused = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = Step([], endOp, ref unused);
            if (remaining == 0 || _outPos == _outBuffer!.Length) await DrainOutputAsync(cancellationToken).ConfigureAwait(false);
            if (remaining == 0) return;
        }
    }

    private void DrainOutput()
    {
        if (_outPos == 0) return;
        _output.Write(_outBuffer!, 0, _outPos);
        _outPos = 0;
    }

    private async ValueTask DrainOutputAsync(CancellationToken cancellationToken)
    {
        if (_outPos == 0) return;
        await _output.WriteAsync(_outBuffer.AsMemory(0, _outPos), cancellationToken).ConfigureAwait(false);
        _outPos = 0;
    }

    private static void Check(nuint rc, string what)
    {
        if (LibZstd.IsError(rc) != 0) throw new IOException($"zstd: cannot {what}: {LibZstd.ErrorName(rc)}");
    }
}
