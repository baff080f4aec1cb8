using System.CommandLine;
using Stasis.Archives;

namespace Stasis.Cli.Commands;

/// <summary>Options and helpers export and import share.</summary>
internal static class ArchiveOptions
{
    public static Option<string> Compress()
    {
        var o = new Option<string>("--compress") { Description = "Archive compression: zstd (default, every core), gzip or none", DefaultValueFactory = _ => "zstd" };
        o.AcceptOnlyFromAmong("zstd", "gzip", "none");
        return o;
    }

    /// <summary>--sync: the archive file is on disk before the command returns (like `sync` after `tar`).</summary>
    public static Option<bool> Sync() => new("--sync") { Description = "Write the archive file through to the disk (fsync) before returning" };

    public static CompressionKind Kind(string value) => value switch
    {
        "gzip" => CompressionKind.Gzip,
        "none" => CompressionKind.None,
        _ => CompressionKind.Zstd,
    };

    /// <summary>Where --print-stats and messages go when stdout carries the archive.</summary>
    public static TextWriter InfoWriter(CliContext ctx, string target) => target == "-" ? ctx.Err : ctx.Out;
}
