using Kiln.Cli.Client;
using Kiln.Cli.Output;
using Spectre.Console;

namespace Kiln.Cli.Commands.Types;

/// <summary>How volume types look in table mode.</summary>
internal static class TypeViews
{
    public static Table List(CliOutput output, IReadOnlyList<VolumeTypeRecord> types)
    {
        var table = output.NewTable("ID", "Name", "Description", "Public", "Extra specs");
        foreach (var t in types)
        {
            table.AddRow(Cells.Text(t.Id), Cells.Text(t.Name), Cells.Text(t.Description), Cells.Text(t.IsPublic ? "yes" : "no"), Cells.Map(t.ExtraSpecs));
        }

        return table;
    }

    public static Table Details(CliOutput output, VolumeTypeRecord t) => output.NewDetailsTable(
    [
        ("id", Cells.Text(t.Id)),
        ("name", Cells.Text(t.Name)),
        ("description", Cells.Text(t.Description)),
        ("public", Cells.Text(t.IsPublic ? "yes" : "no")),
        ("extra specs", Cells.Map(t.ExtraSpecs)),
    ]);

    public static void Show(CliOutput output, VolumeTypeRecord type) => output.Show(type, t => Details(output, t));
}
