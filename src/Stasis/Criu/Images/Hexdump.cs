using System.Text;

namespace Stasis.Criu.Images;

/// <summary>Classic 16-bytes-a-line dump: address, hex bytes, printable ASCII.</summary>
internal static class Hexdump
{
    public static string Format(ulong address, ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length / 16 + 1) * 80);
        for (var line = 0; line < data.Length; line += 16)
        {
            var row = data.Slice(line, Math.Min(16, data.Length - line));
            sb.Append((address + (ulong)line).ToString("x16")).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                if (i < row.Length)
                    sb.Append(row[i].ToString("x2")).Append(' ');
                else
                    sb.Append("   ");
                if (i == 7)
                    sb.Append(' ');
            }
            sb.Append(" |");
            foreach (var b in row)
                sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            sb.Append('|');
            if (line + 16 < data.Length)
                sb.Append('\n');
        }
        return sb.ToString();
    }
}
