using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Runtime;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>The config.json runc runs a container with.</summary>
public sealed class OciSpecBuilderTests
{
    private static JsonObject Build(string? criuConfig = null) => new OciSpecBuilder
    {
        CriuConfig = criuConfig,
        Args = ["sh", "-c", "echo $GREETING"],
        Env = ["PATH=/bin", "GREETING=hi there"],
        Cwd = "/tmp",
        Hostname = "abcdef012345",
        NetnsPath = "/run/stasis/netns/abc",
        CgroupsPath = "/stasis/abc",
        ShmSource = "/var/lib/stasis/containers/abc/shm",
        Binds = [new BindMount("/srv/data", "/data", true)],
    }.Build();

    [Fact]
    public void A_criu_configuration_reaches_runc_as_the_org_criu_config_annotation_and_is_absent_otherwise()
    {
        ((string?)Build("/b/criu.conf")["annotations"]!["org.criu.config"]).ShouldBe("/b/criu.conf");
        Build().ContainsKey("annotations").ShouldBeFalse("without one, runc uses its default /etc/criu/runc.conf");
    }

    [Fact]
    public void Dev_shm_and_volumes_are_bind_mounts_so_CRIU_treats_them_as_external()
    {
        var mounts = Build()["mounts"]!.AsArray().Select(m => m!.AsObject()).ToList();
        var shm = mounts.Single(m => (string?)m["destination"] == "/dev/shm");
        ((string?)shm["type"]).ShouldBe("bind");
        ((string?)shm["source"]).ShouldBe("/var/lib/stasis/containers/abc/shm");
        var data = mounts.Single(m => (string?)m["destination"] == "/data");
        ((string?)data["source"]).ShouldBe("/srv/data");
        data["options"]!.AsArray().Select(o => (string?)o).ShouldContain("ro");
    }

    [Fact]
    public void Process_gets_the_command_environment_and_working_directory_as_given()
    {
        var process = Build()["process"]!.AsObject();

        process["args"]!.AsArray().Select(a => (string)a!).ShouldBe(["sh", "-c", "echo $GREETING"]);
        process["env"]!.AsArray().Select(a => (string)a!).ShouldBe(["PATH=/bin", "GREETING=hi there"]);
        ((string)process["cwd"]!).ShouldBe("/tmp");
        ((bool)process["terminal"]!).ShouldBeFalse();
    }

    [Fact]
    public void The_container_joins_the_network_namespace_stasis_made_and_gets_its_own_others()
    {
        var spec = Build();
        var namespaces = spec["linux"]!["namespaces"]!.AsArray().Select(n => n!.AsObject()).ToList();

        namespaces.Single(n => (string)n["type"]! == "network")["path"]!.GetValue<string>().ShouldBe("/run/stasis/netns/abc");
        namespaces.Select(n => (string)n["type"]!).ShouldBe(["pid", "network", "ipc", "uts", "mount"], ignoreOrder: true);
        namespaces.Where(n => (string)n["type"]! != "network").ShouldAllBe(n => n["path"] == null);
        ((string)spec["linux"]!["cgroupsPath"]!).ShouldBe("/stasis/abc");
        ((string)spec["hostname"]!).ShouldBe("abcdef012345");
        ((string)spec["root"]!["path"]!).ShouldBe("rootfs");
    }

    [Fact]
    public void Rlimits_never_exceed_this_process_hard_limits()
    {
        var rlimits = Build()["process"]!["rlimits"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var hard = HardLimitsFromProc();

        rlimits.ShouldNotBeEmpty();
        foreach (var r in rlimits)
        {
            var type = (string)r["type"]!;
            var (h, s) = ((ulong)r["hard"]!, (ulong)r["soft"]!);
            hard.ShouldContainKey(type);
            h.ShouldBeLessThanOrEqualTo(hard[type], type);
            s.ShouldBeLessThanOrEqualTo(h, type);
        }
        rlimits.Select(r => (string)r["type"]!).ShouldContain("RLIMIT_NOFILE");
    }

    [Fact]
    public void Spec_is_version_1_with_proc_and_dev_mounted()
    {
        var spec = Build();
        ((string)spec["ociVersion"]!).ShouldStartWith("1.");
        var destinations = spec["mounts"]!.AsArray().Select(m => (string)m!["destination"]!).ToList();
        destinations.ShouldContain("/proc");
        destinations.ShouldContain("/dev");
        destinations.ShouldContain("/dev/shm");
    }

    /// <summary>The hard limits as the kernel reports them for this process, read independently of the engine.</summary>
    private static Dictionary<string, ulong> HardLimitsFromProc()
    {
        var names = new Dictionary<string, string> { ["Max open files"] = "RLIMIT_NOFILE", ["Max processes"] = "RLIMIT_NPROC" };
        var result = new Dictionary<string, ulong>();
        foreach (var line in File.ReadLines("/proc/self/limits"))
            foreach (var (label, type) in names)
                if (line.StartsWith(label, StringComparison.Ordinal))
                {
                    var fields = line[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    result[type] = fields[1] == "unlimited" ? ulong.MaxValue : ulong.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                }
        return result;
    }
}
