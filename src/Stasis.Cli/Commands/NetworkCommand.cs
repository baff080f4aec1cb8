using System.CommandLine;
using System.Text.Json;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis network create|ls|inspect|rm`.</summary>
internal static class NetworkCommand
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("network", "Manage bridge networks");

        var createName = new Argument<string>("name");
        var subnet = new Option<string?>("--subnet") { Description = "IPv4 subnet in CIDR form (default: the first free 10.77.N.0/24)" };
        var gateway = new Option<string?>("--gateway") { Description = "Gateway address (default: the subnet's first address)" };
        var create = new Command("create", "Create a bridge network") { createName, subnet, gateway };
        create.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var n = await engine.CreateNetworkAsync(pr.GetValue(createName)!, pr.GetValue(subnet), pr.GetValue(gateway), ct);
            ctx.Out.WriteLine(n.Name);
            return 0;
        }));

        var list = new Command("ls", "List networks");
        list.Aliases.Add("list");
        list.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            var t = new TableWriter("NAME", "SUBNET", "GATEWAY", "BRIDGE", "CONTAINERS");
            foreach (var n in engine.ListNetworks())
                t.Add(n.IsDefault ? n.Name + " (default)" : n.Name, n.Subnet, n.Gateway, n.Bridge, n.Containers.Count == 0 ? "-" : string.Join(',', n.Containers));
            t.Write(ctx.Out);
            return Task.FromResult(0);
        }));

        var inspectName = new Argument<string>("name");
        var inspect = new Command("inspect", "Show a network's details") { inspectName };
        inspect.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(engine.InspectNetwork(pr.GetValue(inspectName)!), CliJsonContext.Default.NetworkInfo));
            return Task.FromResult(0);
        }));

        var rm = RemoveByNameCommand.Create(ctx, "name", "Remove networks (refused while a container uses them)", (engine, n, ct) => engine.RemoveNetworkAsync(n, ct));

        cmd.Subcommands.Add(create);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(inspect);
        cmd.Subcommands.Add(rm);
        return cmd;
    }
}
