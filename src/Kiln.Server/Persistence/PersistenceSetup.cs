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
        services.AddSingleton(new DatabaseSchemaOptions(configuration.DatabaseAutoMigrate ?? provider.AutoMigrateByDefault));
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
        services.AddSingleton<Scheduling.IPoolReservations, EfPoolReservations>();
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
    /// Start-up step before anything reads the database: creates the database's directory, refuses a schema
    /// newer than this Kiln knows, applies pending migrations (when <c>[database] auto_migrate</c> allows;
    /// otherwise refuses to serve on an old schema), creates the <c>__DEFAULT__</c> volume type once and
    /// records this node's <c>storage_availability_zone</c>.
    /// </summary>
    /// <exception cref="DatabaseSchemaException">The schema is newer than this Kiln, or behind it with automatic migration off.</exception>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await SyncSchemaAsync(services, services.GetService<DatabaseSchemaOptions>()?.AutoMigrate ?? true, cancellationToken).ConfigureAwait(false);
        await SeedAsync(services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>kiln db sync</c>: applies every pending migration (Cinder's <c>cinder-manage db sync</c>) and seeds the
    /// default volume type and this node's zone; returns the migrations applied, none when up to date.
    /// </summary>
    /// <exception cref="DatabaseSchemaException">The schema is newer than this Kiln.</exception>
    public static async Task<IReadOnlyList<string>> SyncAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var applied = await SyncSchemaAsync(services, migrate: true, cancellationToken).ConfigureAwait(false);
        await SeedAsync(services, cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>The newest migration this Kiln knows (what <c>kiln db sync</c> brings a database to).</summary>
    public static async Task<string> NewestMigrationAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var db = await services.GetRequiredService<IDbContextFactory<KilnDbContext>>().CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return db.Database.GetMigrations().LastOrDefault() ?? "no migrations";
        }
    }

    private static async Task<IReadOnlyList<string>> SyncSchemaAsync(IServiceProvider services, bool migrate, CancellationToken cancellationToken)
    {
        var provider = services.GetRequiredService<DatabaseProvider>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Kiln.Persistence") ?? NullLogger.Instance;
        var db = await services.GetRequiredService<IDbContextFactory<KilnDbContext>>().CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            await provider.PrepareAsync(db, cancellationToken).ConfigureAwait(false);
            var schema = await DatabaseSchema.ReadAsync(db, cancellationToken).ConfigureAwait(false);
            schema.ThrowIfNewerThanKnown(provider.Description);
            if (schema.Pending.Count == 0)
            {
                Log.SchemaUpToDate(logger, provider.Description, schema.Newest);
                return [];
            }

            if (!migrate)
            {
                throw new DatabaseSchemaException(
                    $"The schema of {provider.Description} is behind this Kiln: {schema.Pending.Count} migration(s) pending ({string.Join(", ", schema.Pending)}). "
                    + "Run `kiln db sync` with this configuration, or set [database] auto_migrate = true.");
            }

            Log.ApplyingMigrations(logger, provider.Description, schema.Pending.Count, string.Join(", ", schema.Pending));

            // MigrateAsync takes the migration lock and re-reads the history, so nodes starting
            // together apply each migration once. With nothing pending it is skipped: it costs a
            // fifth of start-up (a lock table and a model comparison) to do nothing.
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return schema.Pending;
        }
    }

    private static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<EfVolumeTypeRepository>().EnsureDefaultTypeAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<IAvailabilityZoneRepository>().EnsureAsync(services.GetRequiredService<DatabaseSeed>().AvailabilityZone, cancellationToken)
            .ConfigureAwait(false);
    }
}
