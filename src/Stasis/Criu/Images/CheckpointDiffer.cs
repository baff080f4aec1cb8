namespace Stasis.Criu.Images;

/// <summary>Compares two checkpoints. Processes are matched by pid and command (a pid reused by another program
/// counts as one process ended and one started); files are compared for processes in both checkpoints by fd, type
/// and path (a moved file position is not a change); sockets for all processes by every field but the inode.</summary>
internal static class CheckpointDiffer
{
    private static readonly InspectOptions Needed = new() { Files = true, Sockets = true, Memory = true };

    public static CheckpointDiff Diff(CheckpointImages before, CheckpointImages after, CancellationToken ct)
        => Diff(CheckpointInspector.Inspect(before, Needed, ct), CheckpointInspector.Inspect(after, Needed, ct));

    public static CheckpointDiff Diff(CheckpointInspection a, CheckpointInspection b)
    {
        static ProcessRef Ref(CheckpointProcess p) => new(p.Pid, p.Command);
        var inA = a.Processes.ToDictionary(Ref);
        var inB = b.Processes.ToDictionary(Ref);

        var started = b.Processes.Where(p => !inA.ContainsKey(Ref(p))).Select(Ref).ToList();
        var ended = a.Processes.Where(p => !inB.ContainsKey(Ref(p))).Select(Ref).ToList();

        var memory = new List<MemoryChange>();
        var opened = new List<FileChange>();
        var closed = new List<FileChange>();
        foreach (var pb in b.Processes)
        {
            if (!inA.TryGetValue(Ref(pb), out var pa))
                continue;
            var before = pa.Memory?.ResidentPages ?? 0;
            var after = pb.Memory?.ResidentPages ?? 0;
            if (before != after)
            {
                var pageSize = pb.Memory?.PageSize ?? pa.Memory?.PageSize ?? Environment.SystemPageSize;
                memory.Add(new MemoryChange(pb.Pid, pb.Command, before, after, ((long)after - (long)before) * pageSize));
            }
            var filesA = (pa.Files ?? ValueList<OpenFile>.Empty).ToDictionary(FileKey);
            var filesB = (pb.Files ?? ValueList<OpenFile>.Empty).ToDictionary(FileKey);
            opened.AddRange(filesB.Where(f => !filesA.ContainsKey(f.Key)).Select(f => new FileChange(pb.Pid, pb.Command, f.Value)));
            closed.AddRange(filesA.Where(f => !filesB.ContainsKey(f.Key)).Select(f => new FileChange(pa.Pid, pa.Command, f.Value)));
        }

        var socketsA = (a.Sockets ?? ValueList<CheckpointSocket>.Empty).Select(s => s with { Inode = 0 }).ToHashSet();
        var socketsB = (b.Sockets ?? ValueList<CheckpointSocket>.Empty).Select(s => s with { Inode = 0 }).ToHashSet();
        var added = (b.Sockets ?? ValueList<CheckpointSocket>.Empty).Where(s => !socketsA.Contains(s with { Inode = 0 })).ToList();
        var removed = (a.Sockets ?? ValueList<CheckpointSocket>.Empty).Where(s => !socketsB.Contains(s with { Inode = 0 })).ToList();

        return new CheckpointDiff(a.ImagesDirectory, b.ImagesDirectory, started, ended, memory, opened, closed, added, removed);
    }

    private static (int, string, string?) FileKey(OpenFile f) => (f.Fd, f.Type, f.Path);
}
