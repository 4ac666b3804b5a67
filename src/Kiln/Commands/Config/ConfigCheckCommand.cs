using Kiln.Server.Backends;
using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Kiln.Server.Configuration;
using Spectre.Console;

namespace Kiln.Cli.Commands.Config;

/// <summary>
/// <c>kiln config check [--config PATH]</c>: validates kiln.conf (and KILN__ overrides) offline. Exit 0
/// when <c>kiln serve</c> would start every backend (warnings are printed), 2 when not.
/// </summary>
internal static class ConfigCheckCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "Path to kiln.conf. Without it the embedded defaults are checked. KILN__section__option variables apply.",
            HelpName = "PATH",
        };
        var output = OutputOption.Create();
        var command = new Command("check", "Validate a kiln.conf without starting the service, explaining each problem.") { config, output };
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var report = ConfigChecker.Check(parse.GetValue(config), KilnConfigurationLoader.ReadEnvironment(), BuiltInDrivers.Catalog());
            var cli = CliOutput.ForConsole(OutputOption.Read(parse, output));
            if (cli.IsJson)
            {
                cli.WriteJson(report);
            }
            else
            {
                Render(cli, report);
            }

            return Task.FromResult(report.Valid ? ExitCodes.Ok : ExitCodes.Usage);
        }));
        return command;
    }

    private static void Render(CliOutput cli, ConfigReport report)
    {
        var verdict = report.Valid ? "[green]valid[/]" : "[red]invalid[/]";
        cli.Write(new Markup($"{Markup.Escape(report.Source)}: {verdict} ({Count(report.Errors.Count, "error")}, {Count(report.Warnings.Count, "warning")}){Environment.NewLine}"));
        if (report.Backends.Count > 0)
        {
            var table = cli.NewTable("Backend", "Driver", "Result");
            foreach (var backend in report.Backends)
            {
                table.AddRow(Cells.Text(backend.Name), Cells.Text(backend.VolumeDriver), new Markup(backend.Valid ? "[green]ok[/]" : "[red]unrecoverable[/]"));
            }

            cli.Write(table);
        }

        foreach (var error in report.Errors)
        {
            cli.Write(new Markup($"[red]error:[/] {Markup.Escape(error.Message)} [grey]— {Markup.Escape(error.Effect)}[/]{Environment.NewLine}"));
        }

        foreach (var warning in report.Warnings)
        {
            cli.Write(new Markup($"[yellow]warning:[/] {Markup.Escape(warning)}{Environment.NewLine}"));
        }

        foreach (var note in report.Notes)
        {
            cli.Write(new Markup($"[blue]note:[/] {Markup.Escape(note)}{Environment.NewLine}"));
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
