using Stasis.Containers;
using Stasis.Images;

namespace Stasis.Util;

/// <summary>Warms, on the second core, the code every verb's first steps need (the JSON readers and writers of the
/// store's records, file-system calls) while the main thread builds and parses its command line. A short command
/// is dominated by such first-touch costs of the runtime (type loading, ReadyToRun fix-ups: ~8 ms for the first
/// record parse alone), and they are paid once per process whichever thread pays them. The work is a round trip of
/// made-up records in memory: nothing is read from or written to the store, so it cannot race the real work.</summary>
internal static class StartupWarmup
{
    public static void Start()
    {
        if (Environment.ProcessorCount < 2) return;
        new Thread(Run) { IsBackground = true, Name = "stasis warm-up" }.Start();
    }

    private static void Run()
    {
        try
        {
            var record = new ContainerRecord
            {
                Id = new string('0', 64), Name = "warm-up", Image = "warm-up:latest", ImageId = new string('0', 64),
                Command = ["true"], Env = ["A=B"], CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow,
            };
            ContainerRecordJson.Parse(ContainerRecordJson.ToUtf8Bytes(record));
            var image = new ImageInfo { Id = new string('0', 64), Names = ["warm-up:latest"], Layers = [new string('0', 64)], Created = DateTimeOffset.UtcNow };
            ImageInfoJson.Parse(ImageInfoJson.ToUtf8Bytes(image));
            var checkpoint = new Checkpoints.CheckpointInfo
            {
                Name = "warm-up", ContainerId = record.Id, ContainerName = record.Name, Image = record.Image, ImageId = record.ImageId,
                Created = DateTimeOffset.UtcNow,
            };
            Checkpoints.CheckpointInfoJson.Parse(Checkpoints.CheckpointInfoJson.ToUtf8Bytes(checkpoint));
            _ = File.Exists("/proc/self/mountinfo");
            _ = Path.GetFullPath("/proc/self/../self");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or StasisException)
        {
            // Only a warm-up: the real work will report whatever is wrong.
        }
    }
}
