namespace Stasis.Criu.Images;

/// <summary>A process named by pid and command, as diffs report it.</summary>
public sealed record ProcessRef(int Pid, string Command);
