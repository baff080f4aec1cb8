using Spectre.Console;
using Spectre.Console.Rendering;
using Stasis.Criu.Images;

namespace Stasis.Cli.Output;

/// <summary>The default tree view of <c>checkpoint inspect</c>: processes nested under their parents, each with what
/// was asked for, then sockets, mounts and CRIU statistics.</summary>
internal static class CheckpointInspectionView
{
    public static IRenderable Render(CheckpointInspection r, string title)
    {
        var root = new Tree(new Markup($"[bold]{Markup.Escape(title)}[/] [grey](CRIU images v{r.ImageVersion}, {r.Processes.Count} processes)[/]"));
        var tree = root.AddNode("[bold]Process tree[/]");
        var pids = r.Processes.Select(p => p.Pid).ToHashSet();
        foreach (var p in r.Processes.Where(p => !pids.Contains(p.ParentPid)))
            AddProcess(tree, p, r.Processes);

        if (r.Sockets is { } sockets)
        {
            var node = root.AddNode($"[bold]Sockets[/] ({sockets.Count})");
            foreach (var s in sockets)
                node.AddNode(Markup.Escape(Socket(s)));
        }
        if (r.Mounts is { } mounts)
        {
            var node = root.AddNode($"[bold]Mounts[/] ({mounts.Count})");
            foreach (var m in mounts)
                node.AddNode(Markup.Escape($"{m.MountId,-5} {m.MountPoint}  {m.FsType}  {m.Source}" + (m.Root == "/" ? "" : $"  root={m.Root}")));
        }
        if (r.Stats is { } stats)
        {
            var node = root.AddNode("[bold]CRIU statistics[/]");
            if (stats.Dump is { } d)
                node.AddNode(Markup.Escape($"dump: freezing {Ms(d.FreezingTimeUs)}, frozen {Ms(d.FrozenTimeUs)}, memdump {Ms(d.MemdumpTimeUs)}, " +
                    $"memwrite {Ms(d.MemwriteTimeUs)}; pages scanned {d.PagesScanned}, written {d.PagesWritten}, " +
                    $"skipped (parent) {d.PagesSkippedParent}, lazy {d.PagesLazy}"));
            if (stats.Restore is { } rs)
                node.AddNode(Markup.Escape($"restore: {Ms(rs.RestoreTimeUs)} (forking {Ms(rs.ForkingTimeUs)}); pages restored {rs.PagesRestored}, " +
                    $"compared {rs.PagesCompared}, skipped (cow) {rs.PagesSkippedCow}"));
            if (stats.Dump is null && stats.Restore is null)
                node.AddNode("[grey]none recorded[/]");
        }
        return root;
    }

    private static void AddProcess(IHasTreeNodes parent, CheckpointProcess p, IReadOnlyList<CheckpointProcess> all)
    {
        var cmd = p.Cmdline is { Count: > 0 } c ? string.Join(' ', c) : p.Command;
        var threads = p.Threads.Count > 1 ? $" [grey]{p.Threads.Count} threads[/]" : "";
        var state = p.State == "alive" ? "" : $" [yellow]{Markup.Escape(p.State)}[/]";
        var node = parent.AddNode($"[bold]{p.Pid}[/] {Markup.Escape(cmd)}{state}{threads}");
        if (p.WorkingDirectory is { } cwd)
            node.AddNode($"cwd: {Markup.Escape(cwd)}");
        if (p.Environment is { } env)
        {
            var e = node.AddNode($"environment ({env.Count})");
            foreach (var v in env)
                e.AddNode(Markup.Escape(v));
        }
        if (p.Files is { } files)
        {
            var f = node.AddNode($"files ({files.Count})");
            foreach (var file in files)
                f.AddNode(Markup.Escape(File(file)));
        }
        if (p.Memory is { } m)
        {
            var mem = node.AddNode(Markup.Escape(
                $"memory: {Sizes.Bytes(m.SizeBytes)} ({m.ResidentPages} resident pages: {m.DumpedPages} stored, {m.ParentPages} in parent, " +
                $"{m.LazyPages} lazy; {m.SharedPages} shared pages), {m.Areas.Count} mappings, {Sizes.Bytes(m.VirtualBytes)} virtual"));
            foreach (var a in m.Areas)
                mem.AddNode(Markup.Escape($"{a.Start:x12}-{a.End:x12} {a.Protection} {Sizes.Bytes(a.End - a.Start),10} {a.ResidentPages,7} pages  {a.Kind}{(a.Path is null ? "" : "  " + a.Path)}"));
        }
        foreach (var child in all.Where(c => c.ParentPid == p.Pid && c.Pid != p.Pid))
            AddProcess(node, child, all);
    }

    internal static string File(OpenFile f)
    {
        var pos = f.Position is { } p ? $"  pos {p}" : "";
        var mode = f.Mode is { } m ? $"  ({m})" : "";
        return $"{f.Fd,4}  {f.Type,-8} {f.Path ?? "?"}{pos}{mode}";
    }

    internal static string Socket(CheckpointSocket s)
    {
        var where = s.Family == "unix"
            ? s.Path ?? $"[{s.Inode}]"
            : $"{Endpoint(s.LocalAddress, s.LocalPort)}" + (s.RemotePort is > 0 ? $" -> {Endpoint(s.RemoteAddress, s.RemotePort)}" : "");
        var proto = s.Family == "unix" ? $"unix/{s.Type}" : $"{s.Protocol}/{s.Family}";
        return $"pid {s.Pid} fd {s.Fd}  {proto}  {where}  {s.State}";
    }

    private static string Endpoint(string? address, int? port)
        => address is not null && address.Contains(':') ? $"[{address}]:{port}" : $"{address ?? "*"}:{port}";

    private static string Ms(ulong us) => us >= 1000 ? $"{us / 1000.0:0.0} ms" : $"{us} µs";
}
