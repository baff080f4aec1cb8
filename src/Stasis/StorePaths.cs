namespace Stasis;

/// <summary>The on-disk layout, in one place (see README "On disk").</summary>
internal sealed class StorePaths
{
    public StorePaths(string root, string runRoot)
    {
        Root = Path.GetFullPath(root);
        RunRoot = Path.GetFullPath(runRoot);
    }

    public string Root { get; }
    public string RunRoot { get; }

    public string Images => Path.Combine(Root, "images");
    public string Layers => Path.Combine(Root, "layers");
    public string Containers => Path.Combine(Root, "containers");
    public string Volumes => Path.Combine(Root, "volumes");
    public string Tmp => Path.Combine(Root, "tmp");
    public string StoreLock => Path.Combine(Root, "store.lock");

    public string Image(string id) => Path.Combine(Images, id);
    public string Layer(string digestHex) => Path.Combine(Layers, digestHex);

    public string Container(string id) => Path.Combine(Containers, id);
    public string ContainerRecord(string id) => Path.Combine(Container(id), "container.json");
    public string ContainerLock(string id) => Path.Combine(Container(id), "lock");
    public string Bundle(string id) => Path.Combine(Container(id), "bundle");
    public string BundleConfig(string id) => Path.Combine(Bundle(id), "config.json");
    public string Rootfs(string id) => Path.Combine(Bundle(id), "rootfs");
    public string Upper(string id) => Path.Combine(Container(id), "upper");
    public string Work(string id) => Path.Combine(Container(id), "work");
    /// <summary>The container's private /dev/shm: a tmpfs on the host, bind-mounted in (as Podman does), so its
    /// content can be saved with a checkpoint as devshm-checkpoint.tar.</summary>
    public string Shm(string id) => Path.Combine(Container(id), "shm");
    public string Log(string id) => Path.Combine(Container(id), "ctr.log");
    public string CriuLogs(string id) => Path.Combine(Container(id), "criu-logs");
    public string Checkpoints(string id) => Path.Combine(Container(id), "checkpoints");
    public string Checkpoint(string id, string name) => Path.Combine(Checkpoints(id), name);

    public string RuncRoot => Path.Combine(RunRoot, "runc");
    public string RunContainer(string id) => Path.Combine(RunRoot, "containers", id);
    /// <summary>One folder per run (conmon generation), so a late exit file of an earlier run never
    /// lands where the current run's is expected.</summary>
    public string RunGeneration(string id, string generation) => Path.Combine(RunContainer(id), generation);
    public string ExitDir(string id, string generation) => Path.Combine(RunGeneration(id, generation), "exits");
    public string ExitFile(string id, string generation) => Path.Combine(ExitDir(id, generation), id);
    public string PidFile(string id, string generation) => Path.Combine(RunGeneration(id, generation), "pid");
    public string ConmonPidFile(string id, string generation) => Path.Combine(RunGeneration(id, generation), "conmon.pid");
    public string SocketDir(string id, string generation) => Path.Combine(RunGeneration(id, generation), "sock");
    public string Netns(string id) => Path.Combine(RunRoot, "netns", id);
}
