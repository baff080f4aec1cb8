using System.Text.RegularExpressions;
using Stasis.Util;

namespace Stasis.IntegrationTests.Networking;

/// <summary>What a test's networking may leave on the host, to compare before and after: iptables rules (all
/// tables, counters stripped) and network interfaces.</summary>
internal sealed partial record HostNetworkState(IReadOnlySet<string> Rules, IReadOnlySet<string> Links)
{
    public static async Task<HostNetworkState> CaptureAsync()
    {
        var save = await ProcessRunner.RunAsync("iptables-save", [], CancellationToken.None);
        var rules = save.StandardOutput.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('*') && l != "COMMIT")
            .Select(l => Counters().Replace(l, ""))
            .ToHashSet();
        var links = Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).OfType<string>().ToHashSet();
        return new HostNetworkState(rules, links);
    }

    /// <summary>Rules added since <paramref name="before"/>, except portmap's shared top-level chains (created once for
    /// every container on the host and empty of per-container rules).</summary>
    public IEnumerable<string> NewRules(HostNetworkState before) =>
        Rules.Except(before.Rules).Where(r => !SharedPortmap().IsMatch(r));

    public IEnumerable<string> NewLinks(HostNetworkState before) => Links.Except(before.Links);

    [GeneratedRegex(@"\s*\[\d+:\d+\]")]
    private static partial Regex Counters();

    [GeneratedRegex(@"^:CNI-HOSTPORT-(DNAT|MASQ|SETMARK) -|CNI portfwd|^-A CNI-HOSTPORT-MASQ -m mark|-j CNI-HOSTPORT-DNAT$")]
    private static partial Regex SharedPortmap();
}
