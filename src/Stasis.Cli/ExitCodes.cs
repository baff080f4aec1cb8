namespace Stasis.Cli;

/// <summary>Exit codes: 0 success; 125 for a usage error (as Podman); otherwise 100 + the engine's error code, so
/// scripts can tell "not found" (103) from "CRIU failed" (105). `run` and `exec` pass the container's own code.</summary>
internal static class ExitCodes
{
    public const int Usage = 125;

    public static int For(StasisErrorCode code) => code == StasisErrorCode.InvalidArgument ? Usage : 100 + (int)code;
}
