using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stasis.Networking;

/// <summary>Runs one CNI plugin the way the CNI spec says a runtime does: the verb and the container in the
/// environment, the network configuration on stdin, a result (or an error object) as JSON on stdout.</summary>
internal sealed class CniPluginRunner(IReadOnlyList<string> pluginDirs)
{
    public const string CniVersion = "1.0.0";

    /// <summary>Debian's containernetworking-plugins, then the upstream default location.</summary>
    public static readonly IReadOnlyList<string> DefaultDirs = ["/usr/lib/cni", "/opt/cni/bin"];

    public string SearchPath => string.Join(':', pluginDirs);

    public string Find(string type)
    {
        if (type.Contains('/') || type.Contains('.')) throw StasisException.Invalid($"invalid CNI plugin type '{type}'");
        return pluginDirs.Select(d => Path.Combine(d, type)).FirstOrDefault(File.Exists)
            ?? throw new StasisException(StasisErrorCode.Unsupported,
                $"the CNI plugin '{type}' was not found in {SearchPath}: apt-get install containernetworking-plugins");
    }

    /// <summary>ADD returns the plugin's result; DEL and CHECK return null. A failure carries the plugin's own
    /// message (the spec's error object: code, msg, details).</summary>
    public async Task<JsonObject?> InvokeAsync(string command, JsonObject config, CniInvocation call, CancellationToken ct)
    {
        var type = (string?)config["type"] ?? throw StasisException.Invalid("a CNI plugin configuration has no type");
        var psi = new ProcessStartInfo(Find(type))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["CNI_COMMAND"] = command;
        psi.Environment["CNI_CONTAINERID"] = call.ContainerId;
        psi.Environment["CNI_NETNS"] = call.Netns;
        psi.Environment["CNI_IFNAME"] = call.IfName;
        psi.Environment["CNI_PATH"] = SearchPath;
        psi.Environment["CNI_ARGS"] = "";
        using var p = Process.Start(psi) ?? throw new StasisException(StasisErrorCode.Runtime, $"cannot start the CNI plugin {type}");
        var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        await p.StandardInput.WriteAsync(config.ToJsonString()).ConfigureAwait(false);
        p.StandardInput.Close();
        // A plugin is never abandoned half-way (it would leave a veth or an allocation behind); cancellation is
        // honoured between plugins.
        await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (p.ExitCode != 0)
            throw new StasisException(StasisErrorCode.Runtime, $"CNI plugin {type} failed on {command}: {ErrorText(output, errors, p.ExitCode)}");
        ct.ThrowIfCancellationRequested();
        if (command != "ADD") return null;
        try
        {
            return JsonNode.Parse(output)?.AsObject() ?? throw new JsonException("empty result");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new StasisException(StasisErrorCode.Runtime, $"CNI plugin {type} gave no valid result on ADD: {e.Message}", e);
        }
    }

    private static string ErrorText(string stdout, string stderr, int exitCode)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject err && err["msg"] is { } msg)
                return err["details"] is { } d && (string?)d is { Length: > 0 } details ? $"{msg} ({details})" : (string)msg!;
        }
        catch (JsonException) { }
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim();
        return text.Length > 0 ? text : $"exit code {exitCode}";
    }
}
