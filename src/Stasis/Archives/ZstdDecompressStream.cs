using System.Buffers;
using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Read-only stream that decompresses zstd data (one or more concatenated frames) from another
/// stream. Damaged data and input that ends inside a frame raise InvalidDataException.</summary>
internal sealed class ZstdDecompressStream : Stream
{
    private const int MinBufferSize = 1 << 20;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly ZstdDecompressContextHandle _context;
    private byte[]? _inBuffer;
    private int _inPos;
    private int _inLength;
    private bool _inputEnded;
    // True between frames: ending the input here is clean, elsewhere it is truncation.
    private bool _atFrameBoundary = true;
    // The last call filled the caller's buffer, so libzstd may hold more output without needing input.
    private bool _mayHaveMoreOutput;
    private bool _disposed;

    public ZstdDecompressStream(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanRead) throw new ArgumentException("The input stream is not readable.", nameof(input));
        _input = input;
        _leaveOpen = leaveOpen;
        _context = LibZstd.CreateDCtx();
        if (_context.IsInvalid) throw new OutOfMemoryException("zstd: cannot create a decompression context.");
        _inBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(MinBufferSize, (int)LibZstd.DStreamInSize()));
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            if (TryDecompress(buffer, out var produced)) return produced;
            _inLength = _input.Read(_inBuffer!, 0, _inBuffer!.Length);
            _inPos = 0;
            if (_inLength == 0) return EndOfInput();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryDecompress(buffer.Span, out var produced)) return produced;
            _inLength = await _input.ReadAsync(_inBuffer.AsMemory(0, _inBuffer!.Length), cancellationToken).ConfigureAwait(false);
            _inPos = 0;
            if (_inLength == 0) return EndOfInput();
        }
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush() { }
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        _context.Dispose();
        if (_inBuffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _inBuffer = null;
        if (disposing && !_leaveOpen) _input.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Runs libzstd over buffered input. False means it needs more input before it can produce anything.</summary>
    private unsafe bool TryDecompress(Span<byte> destination, out int produced)
    {
        produced = 0;
        if (_inputEnded) { produced = EndOfInput(); return true; }
        while (_inPos < _inLength || _mayHaveMoreOutput)
        {
            fixed (byte* outPtr = destination)
            fixed (byte* inPtr = _inBuffer)
            {
                var outBuf = new ZstdBuffer { Data = outPtr, Size = (nuint)destination.Length, Pos = 0 };
                var inBuf = new ZstdBuffer { Data = inPtr + _inPos, Size = (nuint)(_inLength - _inPos), Pos = 0 };
                var rc = LibZstd.DecompressStream(_context, &outBuf, &inBuf);
                if (LibZstd.IsError(rc) != 0)
                    throw new InvalidDataException($"zstd data is damaged: {LibZstd.ErrorName(rc)}");
                _inPos += (int)inBuf.Pos;
                produced = (int)outBuf.Pos;
                _atFrameBoundary = rc == 0;
                _mayHaveMoreOutput = produced == destination.Length;
            }
            if (produced > 0) return true;
        }
        return false;
    }

    private int EndOfInput()
    {
        _inputEnded = true;
        if (!_atFrameBoundary) throw new InvalidDataException("zstd data is truncated: the input ends inside a frame.");
        return 0;
    }
}
