using System.Runtime.InteropServices;
using Stasis.Criu.Images;
using Stasis.Criu.Proto;

namespace Stasis.Checkpoints;

/// <summary>CPU architecture names as OCI and Go spell them (amd64, arm64 …): CRIU restores only on the architecture
/// it dumped on, so an archive records it and an import compares it with the host's.</summary>
internal static class CpuArchitecture
{
    public static string Host { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The architecture CRIU wrote into a dump's core images (the machine type of its tasks), or null when
    /// the images hold none (an archive of another engine with no metadata of ours).</summary>
    public static string? FromImages(string imagesFolder)
    {
        if (!Directory.Exists(imagesFolder)) return null;
        foreach (var core in Directory.EnumerateFiles(imagesFolder, "core-*.img").Order(StringComparer.Ordinal))
        {
            var entry = ImageFile.ReadSingle(core, CriuMagic.Core, core_entry.Parser);
            if (entry is null) continue;
            return entry.Mtype switch
            {
                core_entry.Types.march.X8664 => "amd64",
                core_entry.Types.march.Aarch64 => "arm64",
                core_entry.Types.march.Arm => "arm",
                core_entry.Types.march.Ppc64 => "ppc64le",
                core_entry.Types.march.S390 => "s390x",
                core_entry.Types.march.Mips => "mips64le",
                _ => null,
            };
        }
        return null;
    }
}
