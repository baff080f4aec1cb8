namespace Stasis.Criu.Images;

/// <summary>A file descriptor opened or closed between two checkpoints.</summary>
public sealed record FileChange(int Pid, string Command, OpenFile File);
