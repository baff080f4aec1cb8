using System.CommandLine;
using Stasis.Containers;

namespace Stasis.Cli.Commands;

/// <summary>The options `create` and `run` share.</summary>
internal sealed class CreateCommandOptions
{
    public Option<string?> Name { get; } = new("--name") { Description = "Container name (default: a generated one)" };
    public Option<string[]> Env { get; } = new("--env", "-e") { Description = "Set an environment variable KEY=VALUE (repeatable)" };
    public Option<string?> Workdir { get; } = new("--workdir", "-w") { Description = "Working directory inside the container" };
    public Option<string?> User { get; } = new("--user", "-u") { Description = "Run as USER, UID, USER:GROUP or UID:GID (default: the image's user)" };
    public Option<string[]> Volume { get; } = new("--volume", "-v") { Description = "Mount HOSTDIR:CTRDIR[:ro] or a named volume NAME:CTRDIR[:ro] (repeatable)" };
    public Option<string> Network { get; } = new("--network")
    {
        Description = "none, host, or a network's name",
        DefaultValueFactory = _ => Stasis.Networking.NetworkModes.DefaultNetwork,
    };
    public Option<string?> Ip { get; } = new("--ip") { Description = "The container's address in its network (default: the next free one)" };
    public Option<string[]> Publish { get; } = new("--publish", "-p") { Description = "Publish a port HOSTPORT:CTRPORT[/tcp|/udp] (repeatable)" };
    public Argument<string> Image { get; } = new("image") { Description = "Image name or id" };
    public Argument<string[]> Command { get; } = new("command") { Description = "Command and arguments (default: the image's)", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Name);
        cmd.Options.Add(Env);
        cmd.Options.Add(Workdir);
        cmd.Options.Add(User);
        cmd.Options.Add(Volume);
        cmd.Options.Add(Network);
        cmd.Options.Add(Ip);
        cmd.Options.Add(Publish);
        cmd.Arguments.Add(Image);
        cmd.Arguments.Add(Command);
    }

    public CreateOptions Read(ParseResult pr) => new()
    {
        Image = pr.GetValue(Image)!,
        Name = pr.GetValue(Name),
        Env = pr.GetValue(Env) ?? [],
        WorkingDir = pr.GetValue(Workdir),
        User = pr.GetValue(User),
        Command = pr.GetValue(Command) ?? [],
        Volumes = pr.GetValue(Volume) ?? [],
        Network = pr.GetValue(Network),
        Ip = pr.GetValue(Ip),
        Ports = pr.GetValue(Publish) ?? [],
    };
}
