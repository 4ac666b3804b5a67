using System.CommandLine;
using Kiln.Cli.Commands.Common;
using Kiln.Server.Configuration;
using Kiln.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Cli.Commands.Db;

/// <summary>
/// <c>kiln db sync [--config PATH]</c>: brings the database named by <c>[database] connection</c> to the schema of
/// this Kiln, as Cinder's <c>cinder-manage db sync</c>, and says what it applied. Run it before starting the nodes
/// of a release on PostgreSQL (where <c>kiln serve</c> does not migrate by default). Exit 0 when the schema is up
/// to date afterwards, 4 when the database is newer than this Kiln (nothing is changed), 5 when it cannot be reached.
/// </summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "Path to kiln.conf. Without it the embedded defaults are read. KILN__section__option variables apply.",
            HelpName = "PATH",
        };
        var sync = new Command("sync", "Apply the database migrations this Kiln carries and say which were applied (cinder-manage db sync).") { config };
        sync.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
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

            ServiceProvider services;
            try
            {
                services = new ServiceCollection().AddKilnPersistence(configuration).BuildServiceProvider();
            }
            catch (KilnConfigurationException ex)
            {
                throw new CliException(ExitCodes.Usage, ex.Message);
            }

            await using (services.ConfigureAwait(false))
            {
                var database = services.GetRequiredService<DatabaseProvider>().Description;
                IReadOnlyList<string> applied;
                try
                {
                    applied = await PersistenceSetup.SyncAsync(services, cancellationToken).ConfigureAwait(false);
                }
                catch (DatabaseSchemaException ex)
                {
                    throw new CliException(ExitCodes.Conflict, ex.Message);
                }
                catch (Exception ex) when (Server.Health.DatabaseWriteHealth.Describe(ex) is { } failure)
                {
                    throw new CliException(ExitCodes.Unreachable, $"{database}: {failure} ({ex.GetBaseException().Message})");
                }

                var newest = await PersistenceSetup.NewestMigrationAsync(services, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(applied.Count == 0
                    ? $"{database}: schema up to date ({newest}); nothing applied"
                    : $"{database}: applied {applied.Count} migration(s): {string.Join(", ", applied)}; schema now at {newest}");
            }

            return ExitCodes.Ok;
        }));
        return new Command("db", "Database administration (cinder-manage db).") { sync };
    }
}
