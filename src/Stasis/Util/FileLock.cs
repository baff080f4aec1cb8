namespace Stasis.Util;

/// <summary>An exclusive advisory lock on a file (flock through FileShare.None), so two commands on one
/// object, in one process or in two, never interleave. Waits until the holder releases it.</summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken ct)
    {
        var delay = 5;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } l) return l;
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 100);
        }
    }

    /// <summary>The lock if it is free now, else null.</summary>
    public static FileLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
