using Stasis.Criu;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    // CRIU feature name → what it gives users (and what is lost without it).
    private static readonly (string Feature, string Meaning)[] CriuFeatures =
    [
        ("mem_dirty_track", "dirty-memory tracking (soft-dirty): iterative pre-dump, smaller incremental checkpoints"),
        ("uffd", "userfaultfd: lazy pages (restore before all memory is copied)"),
        ("uffd-noncoop", "non-cooperative userfaultfd: lazy pages for processes that fork"),
        ("network_lock_nftables", "locking the network with nftables during a TCP dump"),
        ("link_nsid", "veth peers in other namespaces"),
        ("tcp_half_closed", "half-closed TCP connections"),
        ("timens", "time namespaces"),
        ("memfd_hugetlb", "hugetlb-backed memfd"),
    ];

    /// <summary>Tool versions, CRIU's kernel check and feature list, and, in plain words, what will not work.</summary>
    public async Task<CheckReport> CheckAsync(CancellationToken ct = default)
    {
        var problems = new List<string>();
        var fatal = new List<string>();
        var features = new List<FeatureCheck>();
        string? criuVersion = null, runcVersion = null, conmonVersion = null;

        var criu = Tools.CriuOrNull;
        if (criu is null)
            fatal.Add("CRIU is not installed: run scripts/install-criu.sh (or scripts/setup.sh)");
        else
        {
            var v = await ProcessRunner.RunAsync(criu, ["--version"], ct).ConfigureAwait(false);
            var parsed = CriuLocator.ParseVersion(v.StandardOutput);
            criuVersion = parsed?.ToString();
            if (parsed is null) fatal.Add($"{criu} does not report a version: {v.Reason}");
            else if (parsed < CriuLocator.Minimum)
                fatal.Add($"CRIU {parsed} is too old: Stasis needs ≥ {CriuLocator.Minimum} (older releases fail on this kernel); run scripts/install-criu.sh");
            var check = await ProcessRunner.RunAsync(criu, ["check"], ct).ConfigureAwait(false);
            if (!check.Succeeded)
                fatal.Add($"`criu check` fails: {check.Reason}");
            foreach (var (feature, meaning) in CriuFeatures)
            {
                var f = await ProcessRunner.RunAsync(criu, ["check", "--feature", feature], ct).ConfigureAwait(false);
                features.Add(new FeatureCheck(feature, f.Succeeded, meaning));
            }
            if (!features.First(f => f.Name == "mem_dirty_track").Available)
                problems.Add("no dirty-memory tracking: pre-dump and incremental checkpoints cannot work; every checkpoint dumps all memory");
            if (!features.First(f => f.Name == "uffd").Available)
                problems.Add("no userfaultfd: lazy restore (post-copy migration) cannot work");
            else
                problems.Add("lazy pages are not used: on this kernel CRIU's page pipe fails for them (\"splice: Bad file descriptor\")");
        }

        var runc = Tools.RuncOrNull;
        if (runc is null) fatal.Add("runc is not installed (apt-get install runc)");
        else runcVersion = FirstLine((await ProcessRunner.RunAsync(runc, ["--version"], ct).ConfigureAwait(false)).StandardOutput);
        var conmon = Tools.ConmonOrNull;
        if (conmon is null) fatal.Add("conmon is not installed (apt-get install conmon)");
        else conmonVersion = FirstLine((await ProcessRunner.RunAsync(conmon, ["--version"], ct).ConfigureAwait(false)).StandardOutput);
        if (ProcessRunner.Which("iptables") is null && ProcessRunner.Which("iptables-legacy") is null)
            problems.Add("iptables is missing: checkpoints with --tcp-established cannot lock the network (apt-get install iptables)");
        if (Environment.UserName != "root")
            fatal.Add("not running as root: checkpoint and restore need root");

        return new CheckReport
        {
            CriuPath = criu, CriuVersion = criuVersion,
            RuncPath = runc, RuncVersion = runcVersion,
            ConmonPath = conmon, ConmonVersion = conmonVersion,
            Kernel = File.Exists("/proc/sys/kernel/osrelease") ? (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", ct).ConfigureAwait(false)).Trim() : "",
            Features = features,
            Problems = problems,
            Fatal = fatal,
        };
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
