using System.Buffers;
using System.Security.Cryptography;

namespace Stasis.Archives;

/// <summary>The data of one file as a tar member: exactly the size the header announced (a file that shrinks
/// meanwhile is padded with zeros, one that grows is cut), copied with a large buffer, optionally hashed.</summary>
internal sealed class TarFileSource : Stream
{
    private const int CopyBufferSize = 1 << 20;

    private readonly FileStream _file;
    private readonly long _length;
    private readonly IncrementalHash? _hash;
    private long _position;

    public TarFileSource(string path, long length, bool hash)
    {
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
            Options = FileOptions.SequentialScan,
        });
        _length = length;
        if (hash) _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    /// <summary>The digest of the bytes handed out; call once, after the whole member was read.</summary>
    public FileDigest GetDigest() =>
        new(_position, Convert.ToHexStringLower(_hash?.GetHashAndReset() ?? throw new InvalidOperationException("Hashing was not requested.")));

    public override bool CanRead => true;
    public override bool CanSeek => true; // TarWriter needs the length up front
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => _length + offset };
        // Only the no-op seek is needed; anything else would break the running hash.
        if (target != _position) throw new NotSupportedException("A tar member source is read once, front to back.");
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = (int)Math.Min(buffer.Length, _length - _position);
        if (want <= 0) return 0;
        var n = _file.Read(buffer[..want]);
        return Advance(buffer, n, want);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = (int)Math.Min(buffer.Length, _length - _position);
        if (want <= 0) return 0;
        var n = await _file.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        return Advance(buffer.Span, n, want);
    }

    public override void CopyTo(Stream destination, int bufferSize)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int n;
            while ((n = Read(buffer, 0, buffer.Length)) > 0) destination.Write(buffer, 0, n);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int n;
            while ((n = await ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private int Advance(Span<byte> buffer, int n, int want)
    {
        if (n == 0)
        {
            // The file shrank since it was stat'ed: keep the archive well-formed.
            buffer[..want].Clear();
            n = want;
        }
        _hash?.AppendData(buffer[..n]);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash?.Dispose();
        }
        base.Dispose(disposing);
    }
}
