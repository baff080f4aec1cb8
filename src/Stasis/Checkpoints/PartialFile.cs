using Stasis.Interop;

namespace Stasis.Checkpoints;

/// <summary>An archive file being written: created mode 0600 (it holds every memory page) as FILE.partial, renamed
/// onto FILE only when complete (and, when asked, on disk), removed on any failure, so FILE never exists half-written.</summary>
internal sealed class PartialFile : IDisposable
{
    private bool _committed;

    private PartialFile(string target, string partial, FileStream stream)
    {
        Target = target;
        PartialPath = partial;
        Stream = stream;
    }

    public string Target { get; }
    public string PartialPath { get; }
    public FileStream Stream { get; }

    /// <summary>Opens FILE.partial; fails before anything else happens when the folder is missing or not writable.</summary>
    public static PartialFile Create(string file)
    {
        var target = Path.GetFullPath(file);
        if (Directory.Exists(target)) throw StasisException.Invalid($"{file} is a folder; give the archive's file name");
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw StasisException.NotFound($"cannot write {file}: the folder {folder} does not exist");
        var partial = target + ".partial";
        // A leftover of an interrupted export is ours to replace; CreateNew then refuses to follow a planted symlink.
        if (LibcStat.TryLstat(partial, out var st) && !st.IsDirectory) File.Delete(partial);
        try
        {
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 20,
            };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            var stream = new FileStream(partial, fileOptions);
            return new PartialFile(target, partial, stream);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StasisException(StasisErrorCode.General, $"cannot write {file}: permission denied", e);
        }
    }

    /// <summary>Flushes (to disk when <paramref name="durable"/>) and renames FILE.partial onto FILE.</summary>
    public void Commit(bool durable, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Stream.Flush(flushToDisk: durable);
        Stream.Dispose();
        File.Move(PartialPath, Target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        try { Stream.Dispose(); }
        catch (IOException) { /* a full disk fails the final flush too; the file goes either way */ }
        try { File.Delete(PartialPath); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
