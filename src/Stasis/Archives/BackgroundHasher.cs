using System.Security.Cryptography;

namespace Stasis.Archives;

/// <summary>SHA-256 on a thread of its own, one chunk at a time, so the caller can compress or write the same chunk
/// meanwhile. The caller keeps the chunk untouched until <see cref="Wait"/> returns.</summary>
internal sealed class BackgroundHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly SemaphoreSlim _work = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private readonly Thread _thread;
    private byte[]? _buffer;
    private int _length;
    private bool _stopping;
    private Exception? _failure;
    private bool _pending;

    /// <param name="nice">The thread's nice value (its own, inherited by nothing).</param>
    public BackgroundHasher(int nice = 0)
    {
        _thread = new Thread(() =>
        {
            if (nice != 0) Interop.LibcPriority.SetCurrentThreadNice(nice);
            Run();
        }) { IsBackground = true, Name = "stasis-sha256" };
        _thread.Start();
    }

    /// <summary>Starts hashing <paramref name="length"/> bytes of <paramref name="buffer"/>; one chunk at a time.</summary>
    public void Begin(byte[] buffer, int length)
    {
        if (_pending) throw new InvalidOperationException("The previous chunk is still being hashed.");
        _buffer = buffer;
        _length = length;
        _pending = true;
        _work.Release();
    }

    /// <summary>Hashes a chunk on the calling thread (too small to be worth handing over), after any pending one.</summary>
    public void Append(byte[] buffer, int length)
    {
        Wait();
        _hash.AppendData(buffer, 0, length);
    }

    /// <summary>Waits until the chunk given to <see cref="Begin"/> is hashed.</summary>
    public void Wait()
    {
        if (!_pending) return;
        _done.Wait();
        _pending = false;
        if (_failure is { } e) throw new InvalidOperationException("Hashing failed.", e);
    }

    /// <summary>The digest of everything hashed; the hasher starts over afterwards.</summary>
    public byte[] GetHashAndReset()
    {
        Wait();
        return _hash.GetHashAndReset();
    }

    private void Run()
    {
        while (true)
        {
            _work.Wait();
            if (_stopping) return;
            try { _hash.AppendData(_buffer!, 0, _length); }
            catch (Exception e) { _failure = e; }
            _done.Release();
        }
    }

    public void Dispose()
    {
        if (_pending) _done.Wait();
        _pending = false;
        _stopping = true;
        _work.Release();
        _thread.Join();
        _hash.Dispose();
        _work.Dispose();
        _done.Dispose();
    }
}
