namespace Stasis.Util;

/// <summary>An exclusive advisory lock on a file (flock through FileShare.None), so two commands on one
/// object, in one process or in two, never interleave. Waits until the holder releases it.</summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <param name="create">False for an object's own lock file: when the object (and its lock) has been
    /// removed meanwhile, the caller gets NotFound instead of silently re-creating its folder.</param>
    public static Task<FileLock> AcquireAsync(string path, CancellationToken ct, bool create = true)
    {
        // A free lock (the usual case) is taken without an async state machine, whose generic instantiation
        // would be JIT-compiled at every CLI start.
        ct.ThrowIfCancellationRequested();
        return TryAcquire(path, create) is { } free ? Task.FromResult(free) : WaitAsync(path, ct, create);
    }

    private static async Task<FileLock> WaitAsync(string path, CancellationToken ct, bool create)
    {
        var delay = 5;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (TryAcquire(path, create) is { } l) return l;
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 100);
        }
    }

    /// <summary>The lock if it is free now, else null.</summary>
    public static FileLock? TryAcquire(string path, bool create = true)
    {
        if (create) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        else if (!File.Exists(path)) throw StasisException.NotFound($"{Path.GetFileName(Path.GetDirectoryName(path))} was removed");
        try
        {
            return new FileLock(new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None));
        }
        catch (FileNotFoundException) when (!create)
        {
            throw StasisException.NotFound($"{Path.GetFileName(Path.GetDirectoryName(path))} was removed");
        }
        catch (DirectoryNotFoundException) when (!create)
        {
            throw StasisException.NotFound($"{Path.GetFileName(Path.GetDirectoryName(path))} was removed");
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
