using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.ExceptionServices;
using Stasis.Interop;

namespace Stasis.Networking;

/// <summary>Runs a short piece of work inside another network namespace: setns(2) moves only the calling
/// thread, so the work runs on a thread of its own that never returns to the pool.</summary>
internal static class NetnsThread
{
    public static T Run<T>(string netnsPath, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle(netnsPath);
                if (LibcNamespaces.Setns((int)ns.DangerousGetHandle(), LibcNamespaces.CLONE_NEWNET) != 0)
                    throw new StasisException(StasisErrorCode.Runtime,
                        $"cannot enter the network namespace {netnsPath}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = "stasis-setns" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
