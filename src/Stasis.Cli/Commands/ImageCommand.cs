using System.CommandLine;
using System.Text.Json;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis image import|load|save|ls|rm|inspect`.</summary>
internal static class ImageCommand
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("image", "Manage images");
        cmd.Subcommands.Add(Import(ctx));
        cmd.Subcommands.Add(Load(ctx));
        cmd.Subcommands.Add(Save(ctx));
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Remove(ctx));
        cmd.Subcommands.Add(Inspect(ctx));
        return cmd;
    }

    private static Command Import(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Rootfs tarball (.tar, .tar.gz, .tar.zst; compression is detected), or - for stdin" };
        var name = new Argument<string>("name") { Description = "Image name (a missing tag means :latest)" };
        var cmd = new Command("import", "Import a flat rootfs tarball as an image (like podman import)") { file, name };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var path = pr.GetValue(file)!;
            var image = path == "-"
                ? await engine.ImportImageAsync(Console.OpenStandardInput(), pr.GetValue(name)!, null, ct)
                : await engine.ImportImageAsync(path, pr.GetValue(name)!, ct);
            ctx.Out.WriteLine(image.Id);
            return 0;
        }));
        return cmd;
    }

    private static Command Load(CliContext ctx)
    {
        var input = new Option<string?>("--input", "-i") { Description = "OCI archive or docker-archive (plain, gzip or zstd; detected), - or omitted for stdin" };
        var cmd = new Command("load", "Load images from an OCI archive or a docker-archive (like podman load)") { input };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var path = pr.GetValue(input);
            var images = path is null or "-"
                ? await engine.LoadImageAsync(Console.OpenStandardInput(), null, null, ct)
                : await engine.LoadImageAsync(path, ct);
            foreach (var image in images)
                ctx.Out.WriteLine($"Loaded image: {(image.Names.Count > 0 ? string.Join(", ", image.Names) : "sha256:" + image.Id)}");
            return 0;
        }));
        return cmd;
    }

    private static Command Save(CliContext ctx)
    {
        var names = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore, Description = "Images (names or ids) to put in the archive" };
        var output = new Option<string>("--output", "-o") { Description = "The OCI archive to write, or - for stdout", Required = true };
        var compress = new Option<string>("--compress") { Description = "Layer compression: none, gzip or zstd", DefaultValueFactory = _ => "none" };
        compress.AcceptOnlyFromAmong("none", "gzip", "zstd");
        var cmd = new Command("save", "Save images as an OCI archive (oci-archive) that stasis, podman and skopeo load") { names, output, compress };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var kind = pr.GetValue(compress) switch { "gzip" => Archives.CompressionKind.Gzip, "zstd" => Archives.CompressionKind.Zstd, _ => Archives.CompressionKind.None };
            var path = pr.GetValue(output)!;
            if (path == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                await engine.SaveImageAsync(pr.GetValue(names)!, stdout, kind, ct);
            }
            else await engine.SaveImageAsync(pr.GetValue(names)!, path, kind, ct);
            return 0;
        }));
        return cmd;
    }

    private static Command List(CliContext ctx)
    {
        var format = new Option<string?>("--format") { Description = "json for machine-readable output" };
        var cmd = new Command("ls", "List images") { format };
        cmd.Aliases.Add("list");
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            var images = engine.ListImages();
            if (pr.GetValue(format) == "json")
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(images, CliJsonContext.Default.IReadOnlyListImageInfo));
                return Task.FromResult(0);
            }
            var t = new TableWriter("NAME", "IMAGE ID", "CREATED", "SIZE");
            foreach (var i in images)
                foreach (var n in i.Names.DefaultIfEmpty("<none>"))
                    t.Add(n, Format.Id(i.Id), Format.Ago(i.Created), Format.Size(i.Size));
            t.Write(ctx.Out);
            return Task.FromResult(0);
        }));
        return cmd;
    }

    private static Command Remove(CliContext ctx)
    {
        return RemoveByNameCommand.Create(ctx, "image", "Remove images (refused while a container uses them)",
            (engine, n, ct) => engine.RemoveImageAsync(n, ct));
    }

    private static Command Inspect(CliContext ctx)
    {
        var name = new Argument<string>("image");
        var cmd = new Command("inspect", "Show an image's details as JSON") { name };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(engine.InspectImage(pr.GetValue(name)!), CliJsonContext.Default.ImageInfo));
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
