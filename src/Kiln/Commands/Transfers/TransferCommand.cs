using System.CommandLine;
using Kiln.Cli.Client;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Commands.Volumes;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Transfers;

/// <summary><c>kiln transfer list|create|accept|delete</c>: give a volume to another project.</summary>
internal static class TransferCommand
{
    public static Command Create(TimeProvider time)
    {
        var options = new ClientOptions();
        return options.Noun(
            "transfer",
            "Offer a volume to another project, accept an offer, list and withdraw offers.",
            List(options, time),
            CreateOffer(options, time),
            Accept(options, time),
            Delete(options, time));
    }

    private static Command List(ClientOptions options, TimeProvider time)
    {
        var all = new Option<bool>("--all-projects") { Description = "Every project's pending transfers (administrators)." };
        var command = new Command("list", "List the project's pending transfers.") { all };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var transfers = await run.Api.ListTransfersAsync(run.Get(all), cancellationToken).ConfigureAwait(false);
            run.Output.Show(transfers, t =>
            {
                var table = run.Output.NewTable("ID", "Name", "Volume", "Created");
                foreach (var transfer in t)
                {
                    table.AddRow(Cells.Text(transfer.Id), Cells.Text(transfer.Name), Cells.Text(transfer.VolumeId), Cells.Text(Timestamps.Format(transfer.CreatedAt)));
                }

                return table;
            });
            return ExitCodes.Ok;
        });
    }

    private static Command CreateOffer(ClientOptions options, TimeProvider time)
    {
        var volume = new Argument<string>("volume") { Description = "Volume id or name; it must be available." };
        var name = new Option<string?>("--name") { Description = "Transfer name." };
        var command = new Command("create", "Offer a volume for transfer; prints the auth key the recipient needs (shown only now).") { volume, name };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var target = await VolumeLookup.FindAsync(run.Api, run.Get(volume), cancellationToken).ConfigureAwait(false);
            var created = await run.Api.CreateTransferAsync(target.Id, run.Get(name), cancellationToken).ConfigureAwait(false);
            run.Output.Show(created, t => Details(run.Output, t));
            return ExitCodes.Ok;
        });
    }

    private static Command Accept(ClientOptions options, TimeProvider time)
    {
        var transfer = new Argument<string>("transfer") { Description = "Transfer id." };
        var authKey = new Argument<string>("auth-key") { Description = "The auth key printed when the transfer was created." };
        var command = new Command("accept", "Accept a transfer: the volume (and its snapshots) move to this project, within its quota.") { transfer, authKey };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var accepted = await run.Api.AcceptTransferAsync(run.Get(transfer), run.Get(authKey), cancellationToken).ConfigureAwait(false);
            run.Output.Report(accepted, $"Transfer {accepted.Id} accepted: volume {accepted.VolumeId} now belongs to this project.");
            return ExitCodes.Ok;
        });
    }

    private static Command Delete(ClientOptions options, TimeProvider time)
    {
        var transfer = new Argument<string>("transfer") { Description = "Transfer id." };
        var command = new Command("delete", "Withdraw a transfer; the volume is available again.") { transfer };
        return command.WithClientAction(options, time, async (run, cancellationToken) =>
        {
            var id = run.Get(transfer);
            await run.Api.DeleteTransferAsync(id, cancellationToken).ConfigureAwait(false);
            run.Output.Report(new DeletionRecord(id, "deleted"), $"Transfer {id} deleted.");
            return ExitCodes.Ok;
        });
    }

    private static Table Details(CliOutput output, TransferRecord t) => output.NewDetailsTable(
    [
        ("id", Cells.Text(t.Id)),
        ("name", Cells.Text(t.Name)),
        ("volume", Cells.Text(t.VolumeId)),
        ("auth key", Cells.Text(t.AuthKey)),
        ("created", Cells.Text(Timestamps.Format(t.CreatedAt))),
    ]);
}
