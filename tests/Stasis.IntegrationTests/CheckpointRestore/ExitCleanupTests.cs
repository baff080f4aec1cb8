using Shouldly;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Xunit;

namespace Stasis.IntegrationTests.CheckpointRestore;

/// <summary>conmon calls the CLI back when a container ends by itself; the container's mounts and namespace are
/// released without any other stasis command (this once hung: conmon hands its exit command a blocked SIGCHLD).</summary>
public sealed class ExitCleanupTests
{
    [Fact]
    public async Task A_container_that_ends_by_itself_is_released_by_conmons_exit_command()
    {
        Requirements.Ensure();
        var apphost = Path.Combine(AppContext.BaseDirectory, "Stasis.Cli");
        File.Exists(apphost).ShouldBeTrue($"the CLI apphost is expected beside the tests: {apphost}");
        var dir = Path.Combine(Path.GetTempPath(), "stasis-it-" + Guid.NewGuid().ToString("N")[..12]);
        var engine = new Engine(new EngineOptions { Root = dir, ExitCommand = apphost });
        try
        {
            await engine.ImportImageAsync(BusyboxRootfs.Path, "busybox", TestRoot.Ct);
            var c = await engine.RunAsync(new CreateOptions { Image = "busybox", Name = "brief", Command = ["sh", "-c", "echo bye; sleep 0.3"] }, TestRoot.Ct);
            Runtime.MountTable.Under(dir).ShouldNotBeEmpty();

            // Only the record is read here: any engine call would release the container itself.
            var recordFile = Path.Combine(dir, "containers", c.Id, "container.json");
            string? state = null;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(recordFile, TestRoot.Ct));
                state = doc.RootElement.GetProperty("state").GetString();
                if (state == "Exited" && Runtime.MountTable.Under(dir).Count == 0)
                {
                    doc.RootElement.GetProperty("exitCode").GetInt32().ShouldBe(0);
                    break;
                }
                await Task.Delay(100, TestRoot.Ct);
            }
            state.ShouldBe("Exited");
            Runtime.MountTable.Under(dir).ShouldBeEmpty("the exit command released the rootfs, /dev/shm and network namespace");
        }
        finally
        {
            foreach (var c in await engine.ListAsync(true, CancellationToken.None))
                await engine.RemoveAsync(c.Id, force: true, CancellationToken.None);
            Runtime.MountTable.DetachUnder(dir);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
