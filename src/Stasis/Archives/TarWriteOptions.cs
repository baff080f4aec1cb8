namespace Stasis.Archives;

/// <summary>What <see cref="TarDirectoryWriter"/> writes.</summary>
internal sealed record TarWriteOptions
{
    /// <summary>Relative paths to write, each with everything below it when it is a folder; null writes the whole
    /// tree. Their parent folders are not written (the extractor creates them).</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Return false to leave a relative path out (for a folder: with everything below it).</summary>
    public Func<string, bool>? Include { get; init; }

    /// <summary>Return false to leave an extended attribute out (e.g. overlayfs' own trusted.overlay.*).</summary>
    public Func<string, bool>? IncludeXattr { get; init; }

    /// <summary>Hash regular files as they are written and return the digests, so a manifest needs no second read.</summary>
    public bool ComputeFileDigests { get; init; }

    /// <summary>Write overlayfs whiteouts the OCI way, for image layers: a 0:0 character device NAME becomes an
    /// empty ".wh.NAME", a folder with trusted.overlay.opaque=y gets a ".wh..wh..opq" member, and no
    /// trusted.overlay.* attribute is written.</summary>
    public bool OciWhiteouts { get; init; }
}
