using System.CommandLine;
using Kiln.Cli.Commands.Backends;
using Kiln.Cli.Commands.Config;
using Kiln.Cli.Commands.Pools;
using Kiln.Cli.Commands.Services;
using Kiln.Cli.Commands.Snapshots;
using Kiln.Cli.Commands.Types;
using Kiln.Cli.Commands.Version;
using Kiln.Cli.Commands.Volumes;

namespace Kiln.Cli;

/// <summary>The <c>kiln</c> command tree: the server (<c>serve</c>) and a client of its API.</summary>
internal static class KilnCommand
{
    public static RootCommand Create(TimeProvider time)
    {
        var root = new RootCommand("Kiln: a self-healing block-storage service with the OpenStack Cinder v3 API.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ServiceCommand.Create(time));
        root.Subcommands.Add(BackendCommand.Create(time));
        root.Subcommands.Add(VolumeCommand.Create(time));
        root.Subcommands.Add(SnapshotCommand.Create(time));
        root.Subcommands.Add(TypeCommand.Create(time));
        root.Subcommands.Add(Commands.Transfers.TransferCommand.Create(time));
        root.Subcommands.Add(Commands.Qos.QosCommand.Create(time));
        root.Subcommands.Add(Commands.Groups.GroupCommand.Create(time));
        root.Subcommands.Add(Commands.Quotas.QuotaCommand.Create(time));
        root.Subcommands.Add(Commands.Messages.MessageCommand.Create(time));
        root.Subcommands.Add(PoolCommand.Create(time));
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(Commands.Orphans.OrphansCommand.Create());
        root.Subcommands.Add(Commands.Db.DbCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        return root;
    }
}
