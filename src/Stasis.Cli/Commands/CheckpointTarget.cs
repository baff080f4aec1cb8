namespace Stasis.Cli.Commands;

/// <summary>Which checkpoint an inspection verb reads: CONTAINER CHECKPOINT, or --archive PATH.</summary>
internal static class CheckpointTarget
{
    /// <summary>An unpacked checkpoint folder is read directly; an archive file is handed to <paramref name="unpacked"/>,
    /// which unpacks it into a temporary folder, reads it with <paramref name="folder"/> and removes it.</summary>
    public static (string Title, Task<T> Work) Resolve<T>(string? container, string? checkpoint, string? archive,
        Func<string, string, Task<T>> named, Func<string, Task<T>> folder, Func<string, Func<string, Task<T>>, Task<T>>? unpacked = null)
    {
        if (archive is not null)
        {
            if (container is not null || checkpoint is not null)
                throw StasisException.Invalid("give either CONTAINER CHECKPOINT or --archive, not both");
            if (Directory.Exists(archive))
                return (archive, folder(archive));
            if (!File.Exists(archive))
                throw StasisException.NotFound($"{archive} does not exist");
            if (unpacked is null)
                throw new StasisException(StasisErrorCode.Unsupported, $"{archive}: this verb reads unpacked checkpoint folders only");
            return (archive, unpacked(archive, folder));
        }
        if (container is null || checkpoint is null)
            throw StasisException.Invalid("give CONTAINER and CHECKPOINT, or --archive PATH");
        return ($"{container}/{checkpoint}", named(container, checkpoint));
    }
}
