namespace Stasis;

/// <summary>CRIU failed: carries the reasons taken from its log and where the whole log is kept.</summary>
public sealed class CriuException : StasisException
{
    public CriuException(string operation, IReadOnlyList<string> errors, string? logPath)
        : base(StasisErrorCode.Criu, Format(operation, errors, logPath))
    {
        Operation = operation;
        Errors = errors;
        LogPath = logPath;
    }

    public string Operation { get; }
    public IReadOnlyList<string> Errors { get; }
    public string? LogPath { get; }

    private static string Format(string operation, IReadOnlyList<string> errors, string? logPath)
    {
        var reason = errors.Count == 0 ? "no error line in CRIU's log" : string.Join(Environment.NewLine + "  ", errors);
        var log = logPath is null ? "" : $"{Environment.NewLine}  (CRIU log: {logPath})";
        return $"{operation} failed: {reason}{log}";
    }
}
