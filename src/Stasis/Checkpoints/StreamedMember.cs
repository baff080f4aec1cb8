using Microsoft.Win32.SafeHandles;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>A CRIU image packed while the dump wrote it: where its header sits in the archive file, and what was
/// read (checked against the file once the dump is over).</summary>
internal sealed record StreamedMember(string Path, SafeFileHandle Handle, long HeaderOffset, FileDigest Digest);
