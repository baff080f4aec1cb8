namespace Stasis.Cli.Commands;

/// <summary>Which checkpoint an inspection verb reads: CONTAINER CHECKPOINT, or --archive PATH.</summary>
internal static class CheckpointTarget
{
    /// <summary>An unpacked checkpoint folder is read directly. Archive files are unpacked by the archive code into a
    /// temporary folder first; until that lands they are refused with a clear message.</summary>
    public static (string Title, Task<T> Work) Resolve<T>(string? container, string? checkpoint, string? archive,
        Func<string, string, Task<T>> named, Func<string, Task<T>> folder)
    {
        if (archive is not null)
        {
            if (container is not null || checkpoint is not null)
                throw StasisException.Invalid("give either CONTAINER CHECKPOINT or --archive, not both");
            if (Directory.Exists(archive))
                return (archive, folder(archive));
            if (!File.Exists(archive))
                throw StasisException.NotFound($"{archive} does not exist");
            throw new StasisException(StasisErrorCode.Unsupported, $"{archive}: inspecting archive files is not supported yet; unpack it and pass the folder");
        }
        if (container is null || checkpoint is null)
            throw StasisException.Invalid("give CONTAINER and CHECKPOINT, or --archive PATH");
        return ($"{container}/{checkpoint}", named(container, checkpoint));
    }
}
