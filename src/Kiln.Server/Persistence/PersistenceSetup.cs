using Kiln.Core.Volumes;
using Kiln.Server.Configuration;
using Kiln.Server.Quotas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Server.Persistence;

/// <summary>Registers Kiln's database and repositories, and brings the database up to date at start.</summary>
public static class PersistenceSetup
{
    /// <summary>
    /// Registers the database chosen by <c>[database] connection</c> (a pooled context factory) and the
    /// repositories as singletons: each call takes its own short-lived context, so they are safe on
    /// any thread.
    /// </summary>
    /// <exception cref="KilnConfigurationException"><c>[database] connection</c> names a database Kiln cannot use.</exception>
    public static IServiceCollection AddKilnPersistence(this IServiceCollection services, KilnConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = DatabaseProvider.FromConnection(configuration.DatabaseConnection, configuration.StatePath, configuration.SqliteSynchronous);
        services.AddSingleton(provider);
        services.AddSingleton(sp => new DatabaseWriter(
            sp.GetRequiredService<IDbContextFactory<KilnDbContext>>(), groupCommit: provider.HasSingleWriter,
            (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger<DatabaseWriter>() ?? NullLogger.Instance,
            provider is SqliteDatabaseProvider sqlite ? new DatabaseFileIdentity(sqlite.FilePath) : null));
        services.AddSingleton(new DatabaseSeed(configuration.StorageAvailabilityZone));
        services.AddPooledDbContextFactory<KilnDbContext>(provider.Configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EfVolumeTypeRepository>();
        services.AddSingleton<IVolumeTypeRepository>(sp => sp.GetRequiredService<EfVolumeTypeRepository>());
        services.AddSingleton<IVolumeRepository, EfVolumeRepository>();
        services.AddSingleton<ISnapshotRepository, EfSnapshotRepository>();
        services.AddSingleton<Groups.IGroupRepository, EfGroupRepository>();
        services.AddSingleton<Kiln.Core.Attachments.IAttachmentRepository, EfAttachmentRepository>();
        services.AddSingleton<Messages.IUserMessageRepository, EfUserMessageRepository>();
        services.AddSingleton<IServiceRepository, EfServiceRepository>();
        services.AddSingleton<IAvailabilityZoneRepository, EfAvailabilityZoneRepository>();
        services.AddSingleton<IVolumeCounts, EfVolumeCounts>();
        services.AddSingleton<IVolumeListing, EfVolumeListing>();
        services.AddSingleton<IDatabasePing, EfDatabasePing>();
        services.AddSingleton<Transfers.ITransferRepository, EfTransferRepository>();
        services.AddSingleton<Volumes.ICascadeDeleteClaims, EfCascadeDeleteClaims>();
        services.AddSingleton<Volumes.IVolumeRetypes, EfVolumeRetypes>();
        services.AddSingleton<Volumes.IVolumeMigrations, EfVolumeMigrations>();
        services.AddSingleton<Volumes.IRevertClaims, EfRevertClaims>();
        services.AddKilnQuotas();
        Types.TypeExtrasSetup.AddKilnTypeExtras(services);
        return services;
    }

    /// <summary>
    /// Start-up step before anything reads the database: creates the database's directory, applies
    /// pending migrations (nothing when up to date), creates the <c>__DEFAULT__</c> volume type once and
    /// records this node's <c>storage_availability_zone</c>.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var provider = services.GetRequiredService<DatabaseProvider>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Kiln.Persistence") ?? NullLogger.Instance;
        var db = await services.GetRequiredService<IDbContextFactory<KilnDbContext>>().CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await provider.PrepareAsync(db, cancellationToken).ConfigureAwait(false);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count > 0)
            {
                Log.ApplyingMigrations(logger, provider.Description, pending.Count, string.Join(", ", pending));

                // MigrateAsync takes the migration lock and re-reads the history, so nodes starting
                // together apply each migration once. With nothing pending it is skipped: it costs a
                // fifth of start-up (a lock table and a model comparison) to do nothing.
                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Log.SchemaUpToDate(logger, provider.Description, db.Database.GetMigrations().LastOrDefault() ?? "no migrations");
            }
        }

        await services.GetRequiredService<EfVolumeTypeRepository>().EnsureDefaultTypeAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<IAvailabilityZoneRepository>().EnsureAsync(services.GetRequiredService<DatabaseSeed>().AvailabilityZone, cancellationToken)
            .ConfigureAwait(false);
    }
}
