using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Write-only pass-through to a file that asks the kernel to start writing each few MiB to disk as soon as
/// they are written, so the fsync that makes the finished file durable overlaps the export instead of following it.
/// Counts the bytes written, which is the file offset for a file written from its start.</summary>
internal sealed class WritebackStream(FileStream file, long step = WritebackStream.DefaultStep) : Stream
{
    public const long DefaultStep = 16 << 20;

    private long _started;

    /// <summary>Bytes written so far.</summary>
    public long Bytes { get; private set; }

    public FileStream File => file;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        Advance(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Advance(buffer.Length);
    }

    private void Advance(int n)
    {
        Bytes += n;
        if (Bytes - _started < step) return;
        // Only what left FileStream's own buffer is in the page cache; the range is a hint, so a little short is fine.
        file.Flush();
        LibcWriteback.Start(file.SafeFileHandle, _started, Bytes - _started);
        _started = Bytes;
    }

    public override void Flush() => file.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
