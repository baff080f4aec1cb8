using Shouldly;
using Stasis.Runtime;
using Stasis.Util;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Starting a created container in-process does what `runc start` does with runc init's exec FIFO: read
/// the byte init writes before it execs, remove the FIFO; anything else leaves it for `runc start`.</summary>
public sealed class ExecFifoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string MakeFifo()
    {
        var path = Path.Combine(_dir.Path, ExecFifo.FileName);
        NativeSpawn.Run("mkfifo", [path]).ExitCode.ShouldBe(0);
        return path;
    }

    [Fact]
    public void A_waiting_init_is_released_and_the_fifo_removed()
    {
        var fifo = MakeFifo();
        // What runc init does: block opening the write end, write one byte, then exec (closing it).
        var init = new Thread(() =>
        {
            using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            w.WriteByte((byte)'0');
            w.Flush();
            Thread.Sleep(50);
        });
        init.Start();
        Thread.Sleep(50); // init is blocked in open
        ExecFifo.TryStart(fifo).ShouldBeTrue();
        init.Join(TimeSpan.FromSeconds(5)).ShouldBeTrue();
        File.Exists(fifo).ShouldBeFalse("runc reports a container whose FIFO is gone as running");
    }

    [Fact]
    public void With_nobody_behind_the_fifo_nothing_changes_and_runc_start_is_left_to_say_why()
    {
        var fifo = MakeFifo();
        ExecFifo.TryStart(fifo, timeoutMs: 200).ShouldBeFalse();
        File.Exists(fifo).ShouldBeTrue();
    }

    [Fact]
    public void No_fifo_means_fall_back()
    {
        ExecFifo.TryStart(Path.Combine(_dir.Path, "absent")).ShouldBeFalse();
    }
}
