using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Snapshots;

/// <summary>How snapshots look in table mode.</summary>
internal static class SnapshotViews
{
    public static Table List(CliOutput output, IReadOnlyList<SnapshotRecord> snapshots)
    {
        var table = output.NewTable("ID", "Name", "Status", "Size (GB)", "Volume");
        foreach (var s in snapshots)
        {
            table.AddRow(Cells.Text(s.Id), Cells.Text(s.Name), Cells.Status(s.Status), Cells.Number(s.Size), Cells.Text(s.VolumeId));
        }

        return table;
    }

    public static Table Details(CliOutput output, SnapshotRecord s) => output.NewDetailsTable(
    [
        ("id", Cells.Text(s.Id)),
        ("name", Cells.Text(s.Name)),
        ("status", Cells.Status(s.Status)),
        ("size (GB)", Cells.Number(s.Size)),
        ("volume", Cells.Text(s.VolumeId)),
        ("description", Cells.Text(s.Description)),
        ("error reason", Cells.Text(s.ErrorReason)),
        ("metadata", Cells.Map(s.Metadata)),
        ("created", Cells.Text(Timestamps.Format(s.CreatedAt))),
        ("updated", Cells.Text(Timestamps.Format(s.UpdatedAt))),
    ]);

    public static void Show(CliOutput output, SnapshotRecord snapshot) => output.Show(snapshot, s => Details(output, s));
}
