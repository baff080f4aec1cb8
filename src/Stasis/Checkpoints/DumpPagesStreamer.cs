using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>Packs CRIU's memory images (checkpoint/pages-N.img, nearly all of a checkpoint's bytes) into an archive
/// file while the dump is still writing them: each is read as it grows, hashed and compressed on the way, so the
/// dump, the hashing and the compression run at once instead of one after the other.
/// A tar header needs the member's size, known only once the file is complete, so each member starts with a
/// header of fixed length (a stored zstd frame, or a plain 512-byte block) that is patched in place when the
/// member ends; zstd frames concatenate, so header frame + data frames read as one stream.
/// CRIU writes the page images one at a time, in the order of their numbers: pages-N is complete once pages-N+1
/// exists or the dump ended. Once the dump is over every streamed member is checked against its file; anything
/// unexpected makes <see cref="TryComplete"/> return null and the caller packs the checkpoint the usual way.</summary>
internal sealed class DumpPagesStreamer : IDumpObserver, IDisposable
{
    private const int ChunkSize = 4 << 20;
    private const string PagesPrefix = "pages-";
    private const string PagesSuffix = ".img";
    private const int PollInterval = 1; // ms
    private const int FollowerNice = 10;

    private readonly FileStream _file;
    private readonly MeteredStream _transfer;
    private readonly Stream _packer;
    private readonly ZstdCompressStream? _zstd;
    private readonly IProgress<ArchiveProgress>? _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<StreamedMember> _members = [];
    private readonly List<SafeFileHandle> _handles = [];
    private readonly Stopwatch _clock = new();
    private volatile IReadOnlyList<(int Number, SafeFileHandle Handle)>? _final;
    private string? _images;
    private Task? _run;
    private Exception? _failure;
    private TimeSpan _dumpEndedAt;
    private long _rawBytes;
    private bool _handedOver;

    /// <param name="file">The archive file, empty and at position 0; its writes go through this object until
    /// <see cref="TryComplete"/> hands the packer over.</param>
    /// <param name="durable">The file will be synced to disk at the end: start its writeback as it is written.</param>
    public DumpPagesStreamer(FileStream file, CompressionKind compression, IProgress<ArchiveProgress>? progress, bool durable = false)
    {
        if (!Supports(compression)) throw new ArgumentOutOfRangeException(nameof(compression), compression, "Only zstd and plain archives can be streamed.");
        _file = file;
        _progress = progress;
        _transfer = new MeteredStream(durable ? new WritebackStream(file) : file, leaveOpen: true);
        if (compression == CompressionKind.Zstd)
        {
            _zstd = new ZstdCompressStream(_transfer, leaveOpen: true);
            _packer = _zstd;
        }
        else _packer = new NonClosingStream(_transfer);
    }

    /// <summary>zstd (the default) and no compression have concatenable pieces; gzip is packed after the dump.</summary>
    public static bool Supports(CompressionKind compression) => compression is CompressionKind.Zstd or CompressionKind.None;

    public void DumpStarting(string imagesFolder)
    {
        _images = imagesFolder;
        _clock.Start();
        _run = StartFollower(_stop.Token);
    }

    public void DumpEnded(bool succeeded)
    {
        _dumpEndedAt = _clock.Elapsed;
        // CRIU is done: what is left of the packing is now what the export waits for (on a busy host, niced
        // threads would wait behind everyone else's work).
        Interop.LibcPriority.ResetAllThreads();
        if (!succeeded || _images is null)
        {
            _stop.Cancel();
            return;
        }
        // Opened now, before the folder is moved into place: the follower goes on through these handles.
        var final = new List<(int, SafeFileHandle)>();
        try
        {
            foreach (var path in Directory.EnumerateFiles(_images, PagesPrefix + "*" + PagesSuffix))
            {
                if (PageNumber(Path.GetFileName(path)) is not { } n) continue;
                var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                lock (_handles) _handles.Add(handle);
                final.Add((n, handle));
            }
            final.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            _final = final;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failure ??= e;
            _stop.Cancel();
        }
    }

    /// <summary>Waits for the follower to finish the page images and checks them against the files the dump left.
    /// Returns null when the archive could not be streamed (the file is then emptied for a plain export).</summary>
    public StreamedPages? TryComplete(CancellationToken ct)
    {
        if (_run is null || _final is null) _stop.Cancel();
        if (_run is not null)
        {
            using var _ = ct.Register(_stop.Cancel);
            try { _run.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception e) { _failure ??= e; }
        }
        ct.ThrowIfCancellationRequested();
        var complete = _failure is null && _final is { } final && !_stop.IsCancellationRequested &&
                       final.All(f => _members.Any(m => m.Path == MemberPath(f.Number))) &&
                       _members.All(m => RandomAccess.GetLength(m.Handle) == m.Digest.Size);
        if (!complete)
        {
            Reset();
            return null;
        }
        _handedOver = true;
        var total = _clock.Elapsed;
        return new StreamedPages(_packer, _transfer, _members, _rawBytes,
        [
            new PhaseTiming("pages packed during the dump", _dumpEndedAt < total ? _dumpEndedAt : total),
            new PhaseTiming("pages packed after the dump", total > _dumpEndedAt ? total - _dumpEndedAt : TimeSpan.Zero),
        ]);
    }

    /// <summary>Why streaming was given up, if it was (for diagnostics).</summary>
    public Exception? Failure => _failure;

    private void Reset()
    {
        _handedOver = true;
        try { _packer.Dispose(); }
        catch (IOException) { /* the bytes are thrown away below */ }
        _file.Flush();
        _file.SetLength(0);
        _file.Position = 0;
    }

    /// <summary>The follower's own thread, niced while the dump runs: CRIU (which keeps the container frozen meanwhile)
    /// gets the cores first, and the follower with zstd's workers (threads inherit the nice value) and the hasher take
    /// the rest.</summary>
    private Task StartFollower(CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Interop.LibcPriority.SetCurrentThreadNice(FollowerNice);
            try
            {
                Run(ct);
                done.SetResult();
            }
            catch (OperationCanceledException e) { done.SetCanceled(e.CancellationToken); }
            catch (Exception e) { done.SetException(e); }
        }) { IsBackground = true, Name = "stasis-pages" };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        using var hasher = new BackgroundHasher(FollowerNice);
        try
        {
            var next = 1;
            while (Next(next, ct) is var (number, handle) && handle is not null)
            {
                StreamMember(number, handle, buffer, hasher, ct);
                next = number + 1;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The page image numbered <paramref name="wanted"/> (during the dump, waiting for it to appear) or,
    /// once the dump ended, the next one it left; null handle when there is none.</summary>
    private (int Number, SafeFileHandle? Handle) Next(int wanted, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_final is { } final)
            {
                foreach (var f in final)
                    if (f.Number >= wanted) return f;
                return (0, null);
            }
            try
            {
                var handle = File.OpenHandle(Path.Combine(_images!, FileName(wanted)), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                lock (_handles) _handles.Add(handle);
                return (wanted, handle);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                ct.WaitHandle.WaitOne(PollInterval);
            }
        }
    }

    private void StreamMember(int number, SafeFileHandle handle, byte[] buffer, BackgroundHasher hasher, CancellationToken ct)
    {
        var path = MemberPath(number);
        var headerOffset = _transfer.Bytes;
        _transfer.Write(Header(path, 0, default));
        long position = 0;
        var complete = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var n = RandomAccess.Read(handle, buffer.AsSpan(0, ChunkSize), position);
            if (n > 0)
            {
                // SHA-256 on a second core while this one feeds zstd (whose own workers compress) the same bytes.
                hasher.Begin(buffer, n);
                try { _packer.Write(buffer, 0, n); }
                finally { hasher.Wait(); }
                position += n;
                _rawBytes += n;
                _progress?.Report(new ArchiveProgress(_rawBytes, null));
                continue;
            }
            if (complete) break;
            // Read to the end once more after the file was seen complete: it may have grown since the last read.
            complete = _final is not null || File.Exists(Path.Combine(_images!, FileName(number + 1)));
            if (!complete) ct.WaitHandle.WaitOne(PollInterval);
        }
        var padding = TarHeader.Padding(position);
        if (padding > 0) _packer.Write(new byte[padding]);
        _zstd?.EndFrame();
        _file.Flush();
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(handle);
        RandomAccess.Write(_file.SafeFileHandle, Header(path, position, mode, File.GetLastWriteTimeUtc(handle)), headerOffset);
        _members.Add(new StreamedMember(path, handle, headerOffset, new FileDigest(position, Convert.ToHexStringLower(hasher.GetHashAndReset()))));
    }

    /// <summary>The member's header as it goes into the file: the same length whatever the size.</summary>
    private byte[] Header(string path, long size, UnixFileMode mode, DateTime modified = default)
    {
        // CRIU runs as root, so its images are root's.
        var block = TarHeader.RegularFile(path, size, mode, 0, 0, modified == default ? DateTimeOffset.UnixEpoch : new DateTimeOffset(modified, TimeSpan.Zero));
        return _zstd is null ? block : ZstdFrames.Raw(block);
    }

    private static string FileName(int number) => PagesPrefix + number.ToString(CultureInfo.InvariantCulture) + PagesSuffix;

    private static string MemberPath(int number) => CheckpointLayout.CriuImages + "/" + FileName(number);

    private static int? PageNumber(string fileName) =>
        fileName.StartsWith(PagesPrefix, StringComparison.Ordinal) && fileName.EndsWith(PagesSuffix, StringComparison.Ordinal) &&
        int.TryParse(fileName.AsSpan(PagesPrefix.Length, fileName.Length - PagesPrefix.Length - PagesSuffix.Length),
            NumberStyles.None, CultureInfo.InvariantCulture, out var n) && FileName(n) == fileName
            ? n
            : null;

    public void Dispose()
    {
        _stop.Cancel();
        if (_run is not null)
        {
            try { _run.GetAwaiter().GetResult(); }
            catch (Exception) { /* stopped, or already reported through TryComplete */ }
        }
        if (!_handedOver)
        {
            try { _packer.Dispose(); }
            catch (IOException) { /* the archive is being thrown away */ }
        }
        lock (_handles)
        {
            foreach (var h in _handles) h.Dispose();
            _handles.Clear();
        }
        _stop.Dispose();
    }
}
