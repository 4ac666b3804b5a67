using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Volumes;

/// <summary>How volumes look in table mode.</summary>
internal static class VolumeViews
{
    public static Table List(CliOutput output, IReadOnlyList<VolumeRecord> volumes)
    {
        var table = output.NewTable("ID", "Name", "Status", "Size (GB)", "Type", "Host");
        foreach (var v in volumes)
        {
            table.AddRow(Cells.Text(v.Id), Cells.Text(v.Name), Cells.Status(v.Status), Cells.Number(v.Size), Cells.Text(v.VolumeType), Cells.Text(v.Host));
        }

        return table;
    }

    public static Table Details(CliOutput output, VolumeRecord v) => output.NewDetailsTable(
    [
        ("id", Cells.Text(v.Id)),
        ("name", Cells.Text(v.Name)),
        ("status", Cells.Status(v.Status)),
        ("size (GB)", Cells.Number(v.Size)),
        ("type", Cells.Text(v.VolumeType)),
        ("host", Cells.Text(v.Host)),
        ("availability zone", Cells.Text(v.AvailabilityZone)),
        ("description", Cells.Text(v.Description)),
        ("snapshot", Cells.Text(v.SnapshotId)),
        ("source volume", Cells.Text(v.SourceVolid)),
        ("error reason", Cells.Text(v.ErrorReason)),
        ("metadata", Cells.Map(v.Metadata)),
        ("attachments", Cells.Text(v.Attachments is { Count: > 0 } attached ? string.Join(Environment.NewLine, attached.Select(a => a.Describe())) : null)),
        ("created", Cells.Text(Timestamps.Format(v.CreatedAt))),
        ("updated", Cells.Text(Timestamps.Format(v.UpdatedAt))),
    ]);

    public static void Show(CliOutput output, VolumeRecord volume) => output.Show(volume, v => Details(output, v));
}
