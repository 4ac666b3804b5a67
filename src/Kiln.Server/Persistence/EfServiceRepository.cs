using Kiln.Core.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Service records in the database. Upserts are an UPDATE, then an INSERT when no row matched, then
/// the UPDATE again if a concurrent INSERT of the same (host, binary) won the unique index.
/// </summary>
internal sealed class EfServiceRepository(IDbContextFactory<KilnDbContext> contexts, DatabaseWriter writes, TimeProvider timeProvider) : IServiceRepository
{
    public async Task HeartbeatAsync(string binary, IReadOnlyCollection<string> hosts, string zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            return;
        }

        await writes.RunAsync(
            async (db, ct) =>
            {
                // One UPDATE for every host: a node with a thousand backends writes once per report_interval.
                var rows = db.Services.Where(s => s.Binary == binary && hosts.Contains(s.Host));
                for (var attempt = 1; ; attempt++)
                {
                    if (await rows.ExecuteUpdateAsync(set => set.SetProperty(s => s.UpdatedAt, now).SetProperty(s => s.Zone, zone), ct)
                            .ConfigureAwait(false) == hosts.Count)
                    {
                        return;
                    }

                    // First heartbeat of some hosts: create their services.
                    var known = await rows.Select(s => s.Host).ToListAsync(ct).ConfigureAwait(false);
                    foreach (var host in hosts.Except(known, StringComparer.Ordinal))
                    {
                        db.Services.Add(new ServiceEntity { Binary = binary, Host = host, Zone = zone, CreatedAt = now, UpdatedAt = now });
                    }

                    try
                    {
                        await db.SaveChangesAsync(ct).ConfigureAwait(false);
                        return;
                    }
                    catch (DbUpdateException) when (attempt < 3 && !ct.IsCancellationRequested)
                    {
                        // Another node created one of them meanwhile, so the unique index refused the whole
                        // insert: start over, with those now among the updated ones.
                        db.ChangeTracker.Clear();
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveBackendSnapshotsAsync(string zone, IReadOnlyCollection<BackendSnapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        // One write, so one commit for a thousand backends changing together.
        await writes.RunAsync(
            async (db, ct) =>
            {
                foreach (var snapshot in await SnapshotUpdate.RunAsync(db, zone, snapshots, ct).ConfigureAwait(false))
                {
                    await InsertAsync(db, zone, snapshot, ct).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the service row of a backend whose snapshot found none to update.</summary>
    private async Task InsertAsync(KilnDbContext db, string zone, BackendSnapshot snapshot, CancellationToken cancellationToken)
    {
        db.Services.Add(new ServiceEntity
        {
            Binary = StoredService.VolumeBinary,
            Host = snapshot.Host,
            Zone = zone,
            CreatedAt = timeProvider.GetUtcNow(),
            DriverState = snapshot.State.ToWireName(),
            DriverError = snapshot.ErrorText,
            ReinitAttempts = snapshot.ReinitAttempts,
            ReinitBudget = snapshot.ReinitBudget,
            ReinitNextAt = snapshot.NextAttemptAt,
            DriverStateSince = snapshot.Since,
            Stats = snapshot.Stats is null ? null : BackendStatsJson.Serialize(snapshot.Stats),
            StatsUpdatedAt = snapshot.StatsUpdatedAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // The unique (host, binary) index refused the row: another node created the service
            // since the update, so update it now. If still no row matches, the failure was
            // something else and goes to the caller.
            db.ChangeTracker.Clear();
            if ((await SnapshotUpdate.RunAsync(db, zone, [snapshot], cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                throw;
            }
        }
    }

    public async Task<IReadOnlyList<StoredService>> ListAsync(CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var services = await db.Services.AsNoTracking().OrderBy(s => s.Binary).ThenBy(s => s.Host).ToListAsync(cancellationToken).ConfigureAwait(false);
            return services.ConvertAll(s => s.ToStoredService());
        }
    }

    public async Task<StoredService?> SetDisabledAsync(string host, string binary, bool disabled, string? reason, CancellationToken cancellationToken)
    {
        var newReason = disabled ? reason : null;
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var rows = Service(db, binary, host);
                if (await rows.ExecuteUpdateAsync(set => set.SetProperty(s => s.Disabled, disabled).SetProperty(s => s.DisabledReason, newReason), ct).ConfigureAwait(false) == 0)
                {
                    return null;
                }

                var service = await rows.AsNoTracking().FirstOrDefaultAsync(ct).ConfigureAwait(false);
                return service?.ToStoredService();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredService?> SetFrozenAsync(string host, bool frozen, CancellationToken cancellationToken)
    {
        var reason = frozen ? "frozen" : string.Empty;
        return await writes.RunAsync(
            async (db, ct) =>
            {
                var rows = Service(db, StoredService.VolumeBinary, host);
                if (await rows.Where(s => s.Frozen != frozen)
                        .ExecuteUpdateAsync(set => set.SetProperty(s => s.Frozen, frozen).SetProperty(s => s.Disabled, frozen).SetProperty(s => s.DisabledReason, reason), ct)
                        .ConfigureAwait(false) == 0)
                {
                    return null;
                }

                var service = await rows.AsNoTracking().FirstOrDefaultAsync(ct).ConfigureAwait(false);
                return service?.ToStoredService();
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static IQueryable<ServiceEntity> Service(KilnDbContext db, string binary, string host) =>
        db.Services.Where(s => s.Binary == binary && s.Host == host);
}
