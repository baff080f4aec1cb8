namespace Stasis;

/// <summary>The one exception type the engine throws for failures a user can act on.</summary>
public class StasisException : Exception
{
    public StasisException(StasisErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public StasisErrorCode Code { get; }

    internal static StasisException NotFound(string message) => new(StasisErrorCode.NotFound, message);
    internal static StasisException Invalid(string message) => new(StasisErrorCode.InvalidArgument, message);
    internal static StasisException Conflict(string message) => new(StasisErrorCode.Conflict, message);
    internal static StasisException BadArchive(string message, Exception? inner = null) => new(StasisErrorCode.BadArchive, message, inner);
}
