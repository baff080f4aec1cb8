using System.Text.Json;
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
    public IReadOnlyList<BindMount> Binds { get; init; } = [];
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

    /// <summary>The spec as a tree (what the tests look at); the bytes come from <see cref="ToUtf8Json"/>.</summary>
    public JsonObject Build() => JsonNode.Parse(ToUtf8Json())!.AsObject();

    /// <summary>config.json, indented. Written straight with Utf8JsonWriter: a JsonNode tree costs a few ms of
    /// JIT-compiled generic code (JsonValue over numbers and booleans) at every container start and restore.</summary>
    public byte[] ToUtf8Json() => Util.JsonCodec.ToUtf8Bytes(this, static (w, spec) => spec.Write(w));

    private void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("ociVersion", "1.0.2");
        w.WriteStartObject("process");
        w.WriteBoolean("terminal", false);
        w.WriteStartObject("user");
        w.WriteNumber("uid", Uid);
        w.WriteNumber("gid", Gid);
        if (AdditionalGids.Count > 0)
        {
            w.WriteStartArray("additionalGids");
            foreach (var g in AdditionalGids) w.WriteNumberValue(g);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        Strings(w, "args", Args);
        Strings(w, "env", Env);
        w.WriteString("cwd", Cwd);
        w.WriteStartObject("capabilities");
        Strings(w, "bounding", DefaultCaps);
        Strings(w, "effective", DefaultCaps);
        Strings(w, "permitted", DefaultCaps);
        w.WriteEndObject();
        Rlimits(w);
        w.WriteBoolean("noNewPrivileges", false);
        w.WriteEndObject();

        w.WriteStartObject("root");
        w.WriteString("path", "rootfs");
        w.WriteBoolean("readonly", false);
        w.WriteEndObject();
        w.WriteString("hostname", Hostname);
        Mounts(w);

        w.WriteStartObject("linux");
        w.WriteString("cgroupsPath", CgroupsPath);
        w.WriteStartObject("resources");
        w.WriteStartArray("devices");
        w.WriteStartObject();
        w.WriteBoolean("allow", false);
        w.WriteString("access", "rwm");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("namespaces");
        Namespace(w, "pid", null);
        if (NetnsPath is not null) Namespace(w, "network", NetnsPath);
        Namespace(w, "ipc", null);
        Namespace(w, "uts", null);
        Namespace(w, "mount", null);
        w.WriteEndArray();
        Strings(w, "maskedPaths", MaskedPaths);
        Strings(w, "readonlyPaths", ReadonlyPaths);
        w.WriteEndObject();

        if (CriuConfig is not null)
        {
            w.WriteStartObject("annotations");
            w.WriteString("org.criu.config", CriuConfig);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ];

    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private static void Namespace(Utf8JsonWriter w, string type, string? path)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        if (path is not null) w.WriteString("path", path);
        w.WriteEndObject();
    }

    // This machine lacks CAP_SYS_RESOURCE: a limit above the current hard limit makes runc fail, so each
    // limit is the current hard limit (CRIU restores them as they were dumped).
    private static void Rlimits(Utf8JsonWriter w)
    {
        var nofile = Math.Min(LibcProc.HardLimit(LibcProc.RLIMIT_NOFILE), 1048576UL);
        var nproc = Math.Min(LibcProc.HardLimit(LibcProc.RLIMIT_NPROC), 1048576UL);
        w.WriteStartArray("rlimits");
        Rlimit(w, "RLIMIT_NOFILE", nofile, Math.Min(nofile, 1024UL));
        Rlimit(w, "RLIMIT_NPROC", nproc, nproc);
        w.WriteEndArray();
    }

    private static void Rlimit(Utf8JsonWriter w, string type, ulong hard, ulong soft)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("hard", hard);
        w.WriteNumber("soft", soft);
        w.WriteEndObject();
    }

    private void Mounts(Utf8JsonWriter w)
    {
        w.WriteStartArray("mounts");
        Mount(w, "/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        Mount(w, "/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
        Mount(w, "/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        Mount(w, "/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        Mount(w, "/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
        Mount(w, "/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]);
        Mount(w, "/dev/shm", "bind", ShmSource, ["rbind", "rw", "nosuid", "noexec", "nodev"]);
        foreach (var b in Binds) Mount(w, b.Destination, "bind", b.Source, ["rbind", b.ReadOnly ? "ro" : "rw"]);
        w.WriteEndArray();
    }

    private static void Mount(Utf8JsonWriter w, string destination, string type, string source, string[] options)
    {
        w.WriteStartObject();
        w.WriteString("destination", destination);
        w.WriteString("type", type);
        w.WriteString("source", source);
        Strings(w, "options", options);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++) w.WriteStringValue(values[i]);
        w.WriteEndArray();
    }
}
