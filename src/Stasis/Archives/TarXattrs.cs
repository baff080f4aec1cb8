using System.Formats.Tar;
using System.Text;

namespace Stasis.Archives;

/// <summary>Extended attributes in PAX records. SCHILY.xattr.NAME=VALUE is what GNU tar and most tools use, but
/// System.Formats.Tar exposes PAX values as UTF-8 strings, so values that are not valid UTF-8 (e.g. a binary
/// security.capability) are written as LIBARCHIVE.xattr.URL-ENCODED-NAME=BASE64 instead, which bsdtar also reads.</summary>
internal static class TarXattrs
{
    public const string SchilyPrefix = "SCHILY.xattr.";
    public const string LibarchivePrefix = "LIBARCHIVE.xattr.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Adds one attribute to a PAX record set, choosing the lossless encoding.</summary>
    public static void Add(IDictionary<string, string> pax, string name, byte[] value)
    {
        if (!name.Contains('=') && TryStrictUtf8(value, out var text))
            pax[SchilyPrefix + name] = text;
        else
            pax[LibarchivePrefix + UrlEncode(name)] = Convert.ToBase64String(value);
    }

    /// <summary>The attributes of an entry. False (with the attribute's name) when a SCHILY value was binary,
    /// was damaged by UTF-8 decoding, and no matching raw copy is at hand.</summary>
    /// <param name="raw">The member's SCHILY values as raw bytes (see <see cref="PaxXattrSniffer"/>), used where
    /// UTF-8 decoding lost information; each is checked against the decoded value before it is trusted.</param>
    public static bool TryRead(TarEntry entry, Dictionary<string, byte[]>? raw, out List<KeyValuePair<string, byte[]>> xattrs, out string undecodable)
    {
        xattrs = [];
        undecodable = "";
        if (entry is not PaxTarEntry pax || pax.ExtendedAttributes.Count == 0) return true;
        var byName = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (key.StartsWith(LibarchivePrefix, StringComparison.Ordinal))
            {
                // The base64 form is exact, so it wins over a SCHILY copy of the same attribute.
                byName[UrlDecode(key[LibarchivePrefix.Length..])] = Convert.FromBase64String(value);
            }
        }
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (!key.StartsWith(SchilyPrefix, StringComparison.Ordinal)) continue;
            var name = key[SchilyPrefix.Length..];
            if (byName.ContainsKey(name)) continue;
            if (!value.Contains('\uFFFD'))
            {
                byName[name] = Encoding.UTF8.GetBytes(value);
                continue;
            }
            if (raw is null || !raw.TryGetValue(name, out var bytes) || Encoding.UTF8.GetString(bytes) != value)
            {
                undecodable = name;
                return false;
            }
            byName[name] = bytes;
        }
        foreach (var (name, value) in byName.OrderBy(p => p.Key, StringComparer.Ordinal)) xattrs.Add(new(name, value));
        return true;
    }

    private static bool TryStrictUtf8(byte[] value, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(value);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static string UrlEncode(string name)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b <= 32 || b >= 127 || b == '%' || b == '=') sb.Append('%').Append(b.ToString("X2"));
            else sb.Append((char)b);
        }
        return sb.ToString();
    }

    private static string UrlDecode(string encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length &&
                byte.TryParse(encoded.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
