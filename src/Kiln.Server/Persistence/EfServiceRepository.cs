using Kiln.Core.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace Kiln.Server.Persistence;

/// <summary>
/// Service records in the database. A write is an UPDATE; when some rows are missing they are created
/// with INSERT … ON CONFLICT DO NOTHING (nodes creating the same (host, binary) together keep one row,
/// and no statement fails, which would abort the transaction on PostgreSQL), then updated.
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
                if (await UpdateAsync() == hosts.Count)
                {
                    return;
                }

                // First heartbeat of some hosts: create their services, then beat on them too.
                var known = await rows.Select(s => s.Host).ToListAsync(ct).ConfigureAwait(false);
                foreach (var host in hosts.Except(known, StringComparer.Ordinal))
                {
                    await EnsureRowAsync(db, binary, host, zone, now, ct).ConfigureAwait(false);
                }

                await UpdateAsync();

                Task<int> UpdateAsync() => rows.ExecuteUpdateAsync(set => set.SetProperty(s => s.UpdatedAt, now).SetProperty(s => s.Zone, zone), ct);
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

    /// <summary>Creates the service row of a backend whose snapshot found none to update, then writes the snapshot onto it.</summary>
    private async Task InsertAsync(KilnDbContext db, string zone, BackendSnapshot snapshot, CancellationToken cancellationToken)
    {
        // Another node may create the row meanwhile (ON CONFLICT): the update below lands either way.
        await EnsureRowAsync(db, StoredService.VolumeBinary, snapshot.Host, zone, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if ((await SnapshotUpdate.RunAsync(db, zone, [snapshot], cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw new InvalidOperationException($"The service row of {snapshot.Host} was neither found nor created.");
        }
    }

    /// <summary>Creates the (host, binary) row unless it exists; never fails on a row another node created.</summary>
    private static Task<int> EnsureRowAsync(KilnDbContext db, string binary, string host, string zone, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var created = UtcTimestampConverter.Format(createdAt);
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "services" ("binary", "host", "availability_zone", "disabled", "frozen", "created_at")
            VALUES ({binary}, {host}, {zone}, {false}, {false}, {created}) ON CONFLICT ("host", "binary") DO NOTHING
            """,
            cancellationToken);
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
