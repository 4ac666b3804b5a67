using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Cli.Output;
using Kiln.Core.Drivers;
using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Kiln.Cli.Commands.Orphans;

/// <summary>
/// <c>kiln orphans [--config PATH]</c>: lists the volumes on each backend's storage that no database record
/// knows, offline (it reads kiln.conf, the database and the backends' storage; the service may run or not).
/// They are what is left when the database is lost or restored from an old backup: data nobody can reach
/// through the API. Nothing is deleted; the operator decides. Exit 0 when there are none, 7 when there are.
/// </summary>
internal static class OrphansCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "Path to kiln.conf. Without it the embedded defaults are read. KILN__section__option variables apply.",
            HelpName = "PATH",
        };
        var output = OutputOption.Create();
        var command = new Command("orphans", "List volumes on the backends' storage that the database does not know (never deletes them).") { config, output };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            KilnConfiguration configuration;
            try
            {
                configuration = KilnConfigurationLoader.Load(parse.GetValue(config), KilnConfigurationLoader.ReadEnvironment());
            }
            catch (KilnConfigurationException ex)
            {
                throw new CliException(ExitCodes.Usage, ex.Message);
            }

            var cli = CliOutput.ForConsole(OutputOption.Read(parse, output));
            var (orphans, note) = await FindAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (note is not null && !cli.IsJson)
            {
                await Console.Error.WriteLineAsync($"kiln: {note}").ConfigureAwait(false);
            }

            cli.Show(orphans, list =>
            {
                var table = cli.NewTable("Backend", "Volume", "Location");
                foreach (var orphan in list)
                {
                    table.AddRow(Cells.Text(orphan.Backend), Cells.Text(orphan.Volume), Cells.Text(orphan.Location));
                }

                return table;
            });
            return orphans.Count == 0 ? ExitCodes.Ok : ExitCodes.ErrorStatus;
        }));
        return command;
    }

    private static async Task<(IReadOnlyList<OrphanVolume> Orphans, string? Note)> FindAsync(KilnConfiguration configuration, CancellationToken cancellationToken)
    {
        var provider = DatabaseProvider.FromConnection(configuration.DatabaseConnection, configuration.StatePath, configuration.SqliteSynchronous);

        // Opening a missing SQLite file would create an empty one: a lost database means no volume is known.
        var noDatabase = provider is SqliteDatabaseProvider sqlite && !File.Exists(sqlite.FilePath);
        var services = new ServiceCollection().AddKilnPersistence(configuration).BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            var volumes = services.GetRequiredService<IVolumeRepository>();
            var catalog = BuiltInDrivers.Catalog();
            var found = new List<OrphanVolume>();
            foreach (var section in configuration.Backends)
            {
                IVolumeDriver driver;
                try
                {
                    driver = catalog.Resolve(section).Create(new DriverContext(section, TimeProvider.System, NullLoggerFactory.Instance) { StatePath = configuration.StatePath });
                }
                catch (Core.Errors.DriverException ex)
                {
                    await Console.Error.WriteLineAsync($"kiln: backend {section.Name} skipped: {ex.Message}").ConfigureAwait(false);
                    continue;
                }

                if (driver is IVolumeInventory inventory)
                {
                    var backend = $"{configuration.Host}@{section.Name}";
                    var orphans = noDatabase
                        ? await inventory.ListVolumesAsync(cancellationToken).ConfigureAwait(false)
                        : await OrphanVolumeFiles.FindAsync(inventory, volumes, backend, cancellationToken).ConfigureAwait(false);
                    found.AddRange(orphans.Select(o => new OrphanVolume(backend, o.Id, o.Location)));
                }
            }

            return (found, noDatabase ? $"no database at {((SqliteDatabaseProvider)provider).FilePath}: every volume found is listed" : null);
        }
    }

    /// <summary>One volume on the storage with no record.</summary>
    internal sealed record OrphanVolume(string Backend, string Volume, string Location);
}
