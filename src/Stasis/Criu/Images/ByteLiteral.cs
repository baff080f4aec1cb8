using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Stasis.Criu.Images;

/// <summary>A byte string to find, exactly or with ASCII letters in either case. Used to find where a regex can
/// start without turning the whole memory into UTF-16 first.</summary>
internal sealed class ByteLiteral
{
    /// <summary>Each byte with 0x20 set for letters, compared after OR-ing the same mask into the memory byte.</summary>
    private readonly byte[] _folded;
    private readonly byte[] _mask;
    private readonly bool _folds;

    private ByteLiteral(byte[] folded, byte[] mask, bool folds)
    {
        _folded = folded;
        _mask = mask;
        _folds = folds;
    }

    public int Length => _folded.Length;

    /// <summary>Exact bytes.</summary>
    public static ByteLiteral Exact(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), new byte[bytes.Length], false);

    /// <summary>ASCII bytes, letters matching either case (what .NET's invariant IgnoreCase does for ASCII letters
    /// over Latin-1 text; a unit test holds it to that).</summary>
    public static ByteLiteral IgnoreCase(ReadOnlySpan<byte> ascii)
    {
        var folded = new byte[ascii.Length];
        var mask = new byte[ascii.Length];
        var folds = false;
        for (var i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] >= 0x80)
                throw new ArgumentException("an ignore-case literal must be ASCII", nameof(ascii));
            var lower = (byte)(ascii[i] | 0x20);
            if (lower is >= (byte)'a' and <= (byte)'z')
            {
                folded[i] = lower;
                mask[i] = 0x20;
                folds = true;
            }
            else
                folded[i] = ascii[i];
        }
        return new ByteLiteral(folded, mask, folds);
    }

    /// <summary>Index of the first occurrence in <paramref name="haystack"/>, or -1. Looks for the first byte in 64
    /// positions at a time, then the last byte where it occurs, then checks the candidates whole. Exact literals come here too: CoreLib's
    /// precompiled <c>IndexOf</c> is its 16-byte SSE loop (its AVX2 code only arrives with tier-1 rejitting, after a
    /// search is over), about twice the CPU of this loop over a gigabyte. Compiled fully optimized on first use
    /// (about 1 ms, once), since ReadyToRun leaves methods that test for Vector256 to a slow tier-0 JIT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexIn(ReadOnlySpan<byte> haystack)
    {
        if (_folded.Length == 0)
            return 0;
        if (!Vector256.IsHardwareAccelerated)
            return _folds ? IndexScalar(haystack, 0) : haystack.IndexOf(_folded);
        var last = _folded.Length - 1;
        var i = 0;
        var end = haystack.Length - last - 2 * Vector256<byte>.Count;
        if (end >= 0)
        {
            ref var start = ref MemoryMarshal.GetReference(haystack);
            var firstMask = Vector256.Create(_mask[0]);
            var firstByte = Vector256.Create(_folded[0]);
            var lastMask = Vector256.Create(_mask[last]);
            var lastByte = Vector256.Create(_folded[last]);
            for (; i <= end; i += 2 * Vector256<byte>.Count)
            {
                // The first byte alone rules out most 64-byte steps with two loads from the step's own cache lines;
                // the last byte's (unaligned) loads are only made where the first byte occurs.
                var e0 = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i) | firstMask, firstByte);
                var e1 = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + Vector256<byte>.Count)) | firstMask, firstByte);
                if ((e0 | e1) == Vector256<byte>.Zero)
                    continue;
                e0 &= Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + last)) | lastMask, lastByte);
                e1 &= Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + last + Vector256<byte>.Count)) | lastMask, lastByte);
                var bits = (ulong)e0.ExtractMostSignificantBits() | (ulong)e1.ExtractMostSignificantBits() << 32;
                while (bits != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(bits);
                    if (MatchesAt(haystack, at))
                        return at;
                    bits &= bits - 1;
                }
            }
        }
        for (; i <= haystack.Length - _folded.Length; i++)
            if (MatchesAt(haystack, i))
                return i;
        return -1;
    }

    private int IndexScalar(ReadOnlySpan<byte> haystack, int from)
    {
        var first = _folded[0];
        var other = _mask[0] != 0 ? (byte)(first & ~0x20) : first;
        while (from <= haystack.Length - _folded.Length)
        {
            var i = haystack[from..].IndexOfAny(first, other);
            if (i < 0)
                return -1;
            i += from;
            if (i > haystack.Length - _folded.Length)
                return -1;
            if (MatchesAt(haystack, i))
                return i;
            from = i + 1;
        }
        return -1;
    }

    private bool MatchesAt(ReadOnlySpan<byte> haystack, int at)
    {
        for (var k = 0; k < _folded.Length; k++)
            if ((haystack[at + k] | _mask[k]) != _folded[k])
                return false;
        return true;
    }
}
