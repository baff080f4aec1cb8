namespace Stasis.Criu.Images;

/// <summary>One process of the dumped tree. Optional parts are null when they were not asked for.</summary>
/// <param name="Pid">The pid inside the checkpoint's pid namespace.</param>
/// <param name="Command">The kernel's short command name (comm).</param>
/// <param name="State">alive, zombie, stopped or dead.</param>
/// <param name="Cmdline">argv, read from the dumped memory; empty when those pages are not in this checkpoint.</param>
/// <param name="Environment">NAME=value strings, read from the dumped memory.</param>
/// <param name="WorkingDirectory">Present with the files.</param>
public sealed record CheckpointProcess(
    int Pid,
    int ParentPid,
    int ProcessGroup,
    int Session,
    ValueList<int> Threads,
    string Command,
    string State,
    ValueList<string>? Cmdline = null,
    ValueList<string>? Environment = null,
    string? WorkingDirectory = null,
    ValueList<OpenFile>? Files = null,
    ProcessMemory? Memory = null);
