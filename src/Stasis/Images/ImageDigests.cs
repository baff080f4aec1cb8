namespace Stasis.Images;

/// <summary>The digest strings of image metadata ("sha256:&lt;64 hex&gt;") and the checks against content.</summary>
internal static class ImageDigests
{
    public const string Sha256Prefix = "sha256:";

    /// <summary>The hex part of a sha256 digest; anything else (another algorithm, bad hex) is BadArchive.</summary>
    public static string Sha256Hex(string? digest, string what)
    {
        if (digest is null || !digest.StartsWith(Sha256Prefix, StringComparison.Ordinal))
            throw StasisException.BadArchive($"The {what} digest '{digest}' is not a sha256 digest (the only algorithm supported).");
        var hex = digest[Sha256Prefix.Length..];
        if (!IsSha256Hex(hex)) throw StasisException.BadArchive($"The {what} digest '{digest}' is malformed.");
        return hex;
    }

    public static bool IsSha256Hex(string hex) =>
        hex.Length == 64 && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Refuses a member whose bytes do not hash to the digest that names it.</summary>
    public static void Verify(ArchiveMember member, string expectedHex, string what)
    {
        if (member.Sha256 != expectedHex)
            throw StasisException.BadArchive(
                $"The {what} blob sha256:{expectedHex} ('{member.Name}') is damaged or altered: its content hashes to sha256:{member.Sha256}. Nothing was loaded.");
    }
}
