namespace Stasis.Cli;

/// <summary>`run IMAGE CMD…` and `exec CONTAINER CMD…` stop reading their own options at the first positional
/// argument, as Podman does, so `stasis run busybox sh -c '…'` hands "-c" to the container. This inserts "--"
/// after that argument before parsing.</summary>
internal static class ArgumentSplitter
{
    private static readonly HashSet<string> GlobalWithValue = ["--root", "--run-root", "--criu"];

    private static readonly Dictionary<string, HashSet<string>> VerbOptionsWithValue = new()
    {
        ["run"] = ["--name", "-e", "--env", "-w", "--workdir", "-v", "--volume", "-u", "--user", "--network", "--ip", "-p", "--publish"],
        ["create"] = ["--name", "-e", "--env", "-w", "--workdir", "-v", "--volume", "-u", "--user", "--network", "--ip", "-p", "--publish"],
        ["exec"] = ["-e", "--env", "-w", "--workdir"],
    };

    public static string[] Split(string[] args)
    {
        var i = 0;
        while (i < args.Length && args[i].StartsWith('-'))
        {
            if (GlobalWithValue.Contains(args[i])) i++;
            i++;
        }
        if (i >= args.Length || !VerbOptionsWithValue.TryGetValue(args[i], out var withValue)) return args;
        for (var j = i + 1; j < args.Length; j++)
        {
            var a = args[j];
            if (a == "--") return args;
            if (a.StartsWith('-') && a.Length > 1)
            {
                if ((withValue.Contains(a) || GlobalWithValue.Contains(a)) && !a.Contains('=')) j++;
                continue;
            }
            // args[j] is the image/container: everything after it belongs to the container's command.
            if (j + 1 >= args.Length) return args;
            return [.. args[..(j + 1)], "--", .. args[(j + 1)..]];
        }
        return args;
    }
}
