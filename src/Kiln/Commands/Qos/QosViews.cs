using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Qos;

/// <summary>How QoS specs look in table mode.</summary>
internal static class QosViews
{
    public static Table List(CliOutput output, IReadOnlyList<QosSpecsRecord> specs)
    {
        var table = output.NewTable("ID", "Name", "Consumer", "Specs");
        foreach (var s in specs)
        {
            table.AddRow(Cells.Text(s.Id), Cells.Text(s.Name), Cells.Text(s.Consumer), Cells.Map(s.Specs));
        }

        return table;
    }

    public static Table Details(CliOutput output, QosSpecsRecord s) => output.NewDetailsTable(
    [
        ("id", Cells.Text(s.Id)),
        ("name", Cells.Text(s.Name)),
        ("consumer", Cells.Text(s.Consumer)),
        ("specs", Cells.Map(s.Specs)),
        ("volume types", Cells.Text(s.AssociatedTypes is null ? null : string.Join(", ", s.AssociatedTypes))),
    ]);
}
