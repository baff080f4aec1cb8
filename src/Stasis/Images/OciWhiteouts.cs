using System.Formats.Tar;
using Stasis.Archives;
using Stasis.Interop;

namespace Stasis.Images;

/// <summary>Turns the OCI layer whiteout convention into what overlayfs understands, while a layer is unpacked:
/// ".wh.NAME" becomes a 0:0 character device NAME (hides NAME of lower layers) and ".wh..wh..opq" marks its
/// folder opaque with the xattr trusted.overlay.opaque=y (hides everything below it in lower layers).</summary>
internal static class OciWhiteouts
{
    public const string Prefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string OpaqueXattr = "trusted.overlay.opaque";

    public static readonly TarEntryHandler Handler = Handle;

    private static ValueTask<bool> Handle(TarEntryContext ctx, CancellationToken ct)
    {
        var rel = ctx.RelativePath;
        var slash = rel.LastIndexOf('/');
        var name = rel[(slash + 1)..];
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return ValueTask.FromResult(false);
        if (ctx.Entry.EntryType is TarEntryType.Directory)
            throw StasisException.BadArchive($"Refusing archive member '{ctx.Entry.Name}': a whiteout cannot be a folder.");
        var parent = slash < 0 ? "" : rel[..slash];
        if (name == OpaqueMarker)
        {
            // Preparing the marker's own path creates (safely) any missing parent; the marker itself is not kept.
            var marker = ctx.PrepareTarget(rel);
            LibcXattr.Set(Path.GetDirectoryName(marker)!, OpaqueXattr, "y"u8);
        }
        else if (name.StartsWith(Prefix + Prefix, StringComparison.Ordinal))
        {
            // Other ".wh..wh." names are AUFS bookkeeping (e.g. ".wh..wh.plnk"); they carry no file.
        }
        else
        {
            var hidden = name[Prefix.Length..];
            if (hidden is "" or "." or "..")
                throw StasisException.BadArchive($"Refusing archive member '{ctx.Entry.Name}': it whites out no valid name.");
            var target = ctx.PrepareTarget(parent.Length == 0 ? hidden : parent + "/" + hidden);
            LibcFs.MakeWhiteout(target);
        }
        return ValueTask.FromResult(true);
    }
}
