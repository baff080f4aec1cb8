using System.Text.Json.Nodes;
using Stasis.Interop;

namespace Stasis.Runtime;

/// <summary>Builds the OCI runtime spec (bundle/config.json) runc runs a container with.</summary>
internal sealed class OciSpecBuilder
{
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public string Cwd { get; init; } = "/";
    public required string Hostname { get; init; }
    /// <summary>A network namespace Stasis made and owns (bind-mounted nsfs file); runc joins it, and CRIU then
    /// treats it as external, so it survives a checkpoint and TCP connections can be restored into it.
    /// Null: the container shares the host's network namespace (--network host).</summary>
    public required string? NetnsPath { get; init; }
    public required string CgroupsPath { get; init; }
    /// <summary>Host folder holding the container's /dev/shm tmpfs.</summary>
    public required string ShmSource { get; init; }
    /// <summary>Bind mounts (host folder or volume data → container path). runc hands bind mounts to CRIU as external
    /// mounts, so they are re-mapped, not dumped, on checkpoint and restore.</summary>
    public IReadOnlyList<(string Source, string Destination, bool ReadOnly)> Binds { get; init; } = [];
    /// <summary>A CRIU configuration file for runc to hand CRIU on checkpoint and restore (annotation org.criu.config;
    /// its settings override runc's). Null: runc's default, /etc/criu/runc.conf.</summary>
    public string? CriuConfig { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    // Docker's default capability set: what container images expect to have.
    private static readonly string[] DefaultCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public JsonObject Build()
    {
        var caps = new JsonArray(DefaultCaps.Select(c => (JsonNode)c!).ToArray());
        var spec = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                ["user"] = User(),
                ["args"] = Strings(Args),
                ["env"] = Strings(Env),
                ["cwd"] = Cwd,
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = caps.DeepClone(), ["effective"] = caps.DeepClone(), ["permitted"] = caps.DeepClone(),
                },
                ["rlimits"] = Rlimits(),
                ["noNewPrivileges"] = false,
            },
            ["root"] = new JsonObject { ["path"] = "rootfs", ["readonly"] = false },
            ["hostname"] = Hostname,
            ["mounts"] = Mounts(),
            ["linux"] = new JsonObject
            {
                ["cgroupsPath"] = CgroupsPath,
                ["resources"] = new JsonObject
                {
                    ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
                },
                ["namespaces"] = new JsonArray(new JsonNode?[]
                {
                    new JsonObject { ["type"] = "pid" },
                    NetnsPath is null ? null : new JsonObject { ["type"] = "network", ["path"] = NetnsPath },
                    new JsonObject { ["type"] = "ipc" },
                    new JsonObject { ["type"] = "uts" },
                    new JsonObject { ["type"] = "mount" },
                }.OfType<JsonNode>().ToArray()),
                ["maskedPaths"] = Strings([
                    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                ]),
                ["readonlyPaths"] = Strings(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]),
            },
        };
        if (CriuConfig is not null) spec["annotations"] = new JsonObject { ["org.criu.config"] = CriuConfig };
        return spec;
    }

    private JsonObject User()
    {
        var user = new JsonObject { ["uid"] = Uid, ["gid"] = Gid };
        if (AdditionalGids.Count > 0) user["additionalGids"] = new JsonArray(AdditionalGids.Select(g => (JsonNode)g).ToArray());
        return user;
    }

    // This machine lacks CAP_SYS_RESOURCE: a limit above the current hard limit makes runc fail, so each
    // limit is the current hard limit (CRIU restores them as they were dumped).
    private static JsonArray Rlimits()
    {
        var nofile = Math.Min(LibcProc.HardLimit(LibcProc.RLIMIT_NOFILE), 1048576UL);
        var nproc = Math.Min(LibcProc.HardLimit(LibcProc.RLIMIT_NPROC), 1048576UL);
        return new JsonArray(
            new JsonObject { ["type"] = "RLIMIT_NOFILE", ["hard"] = nofile, ["soft"] = Math.Min(nofile, 1024UL) },
            new JsonObject { ["type"] = "RLIMIT_NPROC", ["hard"] = nproc, ["soft"] = nproc });
    }

    private JsonArray Mounts()
    {
        var mounts = DefaultMounts();
        mounts.Add(BindMount(ShmSource, "/dev/shm", false, ["nosuid", "noexec", "nodev"]));
        foreach (var (source, destination, ro) in Binds) mounts.Add(BindMount(source, destination, ro, []));
        return mounts;
    }

    private static JsonObject BindMount(string source, string destination, bool readOnly, string[] extra) =>
        Mount(destination, "bind", source, [.. new[] { "rbind", readOnly ? "ro" : "rw" }, .. extra]);

    private static JsonArray DefaultMounts() => new(
        Mount("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
        Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
        Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
        Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]));

    private static JsonObject Mount(string destination, string type, string source, string[] options) => new()
    {
        ["destination"] = destination, ["type"] = type, ["source"] = source, ["options"] = Strings(options),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v!).ToArray());
}
