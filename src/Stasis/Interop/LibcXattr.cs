using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Extended attributes, never following symlinks (the l* variants).</summary>
internal static unsafe partial class LibcXattr
{
    private const int ERANGE = 34; // the list or value grew between the two calls

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LSetXattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint LListXattr(string path, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint LGetXattr(string path, string name, byte* value, nuint size);

    public static void Set(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            LibcErrno.ThrowIfFailed(LSetXattr(path, name, p, (nuint)value.Length, 0), $"setxattr {name}", path);
    }

    /// <summary>Every attribute of the path; empty when the file system has none or no support.</summary>
    public static List<KeyValuePair<string, byte[]>> GetAll(string path)
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        byte[] names;
        while (true)
        {
            var size = LListXattr(path, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibcErrno.EOPNOTSUPP) return result;
                throw LibcErrno.Exception(errno, "listxattr", path);
            }
            if (size == 0) return result;
            names = new byte[size];
            fixed (byte* p = names) size = LListXattr(path, p, (nuint)names.Length);
            if (size >= 0) { names = names[..(int)size]; break; }
            if (Marshal.GetLastPInvokeError() != ERANGE) throw LibcErrno.Exception(Marshal.GetLastPInvokeError(), "listxattr", path);
        }
        // The list is a run of NUL-terminated names.
        var start = 0;
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] != 0) continue;
            if (i > start)
            {
                var name = System.Text.Encoding.UTF8.GetString(names, start, i - start);
                if (TryGet(path, name) is { } value) result.Add(new(name, value));
            }
            start = i + 1;
        }
        return result;
    }

    private static byte[]? TryGet(string path, string name)
    {
        while (true)
        {
            var size = LGetXattr(path, name, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibcErrno.ENODATA) return null; // removed meanwhile
                throw LibcErrno.Exception(errno, $"getxattr {name}", path);
            }
            var value = new byte[size];
            fixed (byte* p = value) size = LGetXattr(path, name, p, (nuint)value.Length);
            if (size >= 0) return value[..(int)size];
            if (Marshal.GetLastPInvokeError() != ERANGE) throw LibcErrno.Exception(Marshal.GetLastPInvokeError(), $"getxattr {name}", path);
        }
    }
}
