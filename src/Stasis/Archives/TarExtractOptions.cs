namespace Stasis.Archives;

/// <summary>How <see cref="SafeTarExtractor"/> treats the members of an archive.</summary>
internal sealed record TarExtractOptions
{
    /// <summary>Create character and block devices and FIFOs (a container rootfs may hold them); refused otherwise.</summary>
    public bool AllowDevices { get; init; }

    /// <summary>Apply the members' numeric uid/gid; needs root, so it defaults to whether we run as root.</summary>
    public bool PreserveOwnership { get; init; } = Environment.IsPrivilegedProcess;

    /// <summary>Refuse absolute symlink targets too. For checkpoint archives, whose CRIU image folder has no
    /// reason to hold any; a rootfs needs them.</summary>
    public bool StrictSymlinks { get; init; }

    /// <summary>Hash every regular file while it is written and return the digests (so a manifest can be checked
    /// without reading the files again).</summary>
    public bool ComputeFileDigests { get; init; }

    /// <summary>Hash the whole tar stream (the result's <see cref="TarExtractResult.Sha256"/>, an image layer's diff id);
    /// off when only the members' digests matter, which saves a second SHA-256 pass over every byte.</summary>
    public bool ComputeStreamDigest { get; init; } = true;

    /// <summary>Sees each member first and may handle it itself.</summary>
    public TarEntryHandler? EntryHandler { get; init; }

    /// <summary>Runs on the complete but still temporary folder before it is moved into place; throwing rejects
    /// the archive and removes the folder.</summary>
    public Func<string, TarExtractResult, CancellationToken, ValueTask>? Validate { get; init; }
}
