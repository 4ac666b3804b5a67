using System.Collections.Concurrent;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// Exports raw volume files through the Linux userspace target tgt, driven by <c>tgtadm</c>: one
/// target per volume (IQN <c>target_prefix</c> + <c>volume-&lt;id&gt;</c>), the file as LUN 1, a CHAP
/// account per volume. Every export is recorded in <see cref="ExportStateFile"/> before its target is
/// made, so <see cref="RestoreExportsAsync"/> can re-create all of them after tgtd or Kiln restarts.
/// </summary>
public sealed class TgtExporter : IIscsiExporter
{
    /// <summary>The LUN every volume is exported at (LUN 0 is tgt's controller).</summary>
    public const int Lun = 1;

    // tgtd allocates nothing itself: the caller picks the tid. Backends of this process that share one
    // tgtd (one control port) take turns; another process racing for a tid is met by retrying.
    private static readonly ConcurrentDictionary<int, SemaphoreSlim> Locks = new();

    private const int TidAttempts = 8;

    private readonly TgtSettings settings;
    private readonly TgtAdmin admin;
    private readonly ExportStateFile stateFile;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate;
    private readonly ExportWatch watch;
    private Dictionary<string, ExportRecord>? exports;
    private bool unreachable;

    internal TgtExporter(
        TgtSettings settings, string volumesDirectory, ILogger logger, string tgtadmPath = "tgtadm",
        string backend = "", TimeProvider? timeProvider = null, TgtdSupervisor? daemon = null, IscsiMetrics? metrics = null)
    {
        this.settings = settings;
        admin = new TgtAdmin(tgtadmPath, settings.ControlPort);
        stateFile = ExportStateFile.In(volumesDirectory);
        this.logger = logger;
        gate = Locks.GetOrAdd(settings.ControlPort, _ => new SemaphoreSlim(1, 1));
        Backend = backend;
        Daemon = daemon;
        Metrics = metrics;
        watch = new ExportWatch(this, settings.CheckInterval, timeProvider ?? TimeProvider.System, logger);
    }

    /// <summary>The backend whose exports these are (metrics and logs).</summary>
    internal string Backend { get; }

    /// <summary>The supervisor of Kiln's tgtd (<c>tgt_manage = auto</c>), or null.</summary>
    internal TgtdSupervisor? Daemon { get; }

    internal IscsiMetrics? Metrics { get; }

    /// <summary>
    /// The exporter of the backend in <paramref name="context"/>, recording its exports in
    /// <paramref name="volumesDirectory"/>. Touches neither tgt nor the disk; throws
    /// <see cref="DriverConfigurationException"/> naming the option for a bad iSCSI option value.
    /// </summary>
    public static IIscsiExporter Create(DriverContext context, string volumesDirectory) => Create(context, volumesDirectory, daemons: null);

    /// <summary>As <see cref="Create(DriverContext, string)"/>, with the tgtd supervisors and metrics of the factory.</summary>
    internal static TgtExporter Create(DriverContext context, string volumesDirectory, TgtdSupervisors? daemons)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(volumesDirectory);
        var settings = TgtSettings.Parse(context.Options);
        return new TgtExporter(
            settings, volumesDirectory, context.LoggerFactory.CreateLogger("Kiln.Drivers.File.Iscsi"), backend: context.BackendName,
            timeProvider: context.TimeProvider, daemon: daemons?.For(settings, context), metrics: daemons?.Metrics);
    }

    public async Task<ConnectionInfo> ExportAsync(string volumeId, string path, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await EnsureDaemonAsync(cancellationToken).ConfigureAwait(false);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            var fullPath = Path.GetFullPath(path);
            records.TryGetValue(volumeId, out var recorded);
            var record = Conform(recorded ?? new ExportRecord(volumeId, fullPath, settings.TargetIqn(volumeId), 0, null, null)) with
            {
                Path = fullPath,
                Initiators = TgtAcl.Grant(recorded, TgtAcl.Entry(connector)),
            };
            if (record != recorded)
            {
                // Recorded first: a crash before the target exists leaves a record that restore completes,
                // never a target nobody knows about.
                records[volumeId] = record;
                await stateFile.WriteAsync(records.Values, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                record = await EnsureTargetAsync(records, record, await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (recorded is null && ex is not OperationCanceledException)
            {
                // The caller was told it failed: a new export must not come back at the next restore.
                records.Remove(volumeId);
                await stateFile.WriteAsync(records.Values, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            IscsiLog.Exported(logger, volumeId, record.TargetIqn, record.Tid, connector?.Host ?? connector?.Initiator ?? "unknown host");
            return IscsiConnectionInfo.For(record, settings);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RemoveExportAsync(string volumeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            if (!records.TryGetValue(volumeId, out var record))
            {
                // Never exported (or already removed): nothing of it can be in tgtd, and tgt need not even be installed.
                return;
            }

            foreach (var target in (await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).Where(t => t.Iqn == record.TargetIqn))
            {
                await admin.DeleteTargetAsync(target.Tid, cancellationToken).ConfigureAwait(false);
            }

            if (record.AuthUsername is { } user)
            {
                await admin.DeleteAccountAsync(user, cancellationToken).ConfigureAwait(false);
            }

            records.Remove(volumeId);
            await stateFile.WriteAsync(records.Values, cancellationToken).ConfigureAwait(false);
            IscsiLog.Removed(logger, volumeId, record.TargetIqn);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RefreshSizeAsync(string volumeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            if (!records.TryGetValue(volumeId, out var record))
            {
                return; // Not exported: the next export sizes its LUN from the file.
            }

            // tgt reads the backing file's size when a LUN is created, so the LUN is replaced on the same target:
            // the target, its account and ACL (and the host's session) stay. A target that is missing is re-created,
            // at the new size, by the restore.
            foreach (var target in (await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).Where(t => t.Iqn == record.TargetIqn))
            {
                await admin.DeleteLogicalUnitAsync(target.Tid, Lun, cancellationToken).ConfigureAwait(false);
                await admin.NewLogicalUnitAsync(target.Tid, Lun, record.Path, cancellationToken).ConfigureAwait(false);
                IscsiLog.Resized(logger, volumeId, record.TargetIqn, target.Tid);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RevokeAsync(string volumeId, ConnectorInfo? connector, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        if (!await TryRevokeOneAsync(volumeId, TgtAcl.Entry(connector), cancellationToken).ConfigureAwait(false))
        {
            // No initiator named, an export open to all, or its last initiator: the whole export goes.
            await RemoveExportAsync(volumeId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Revokes one initiator of an export that other initiators keep; false when the whole export should go.</summary>
    private async Task<bool> TryRevokeOneAsync(string volumeId, string entry, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            if (!records.TryGetValue(volumeId, out var record)
                || entry == TgtAcl.All
                || record.Initiators is not { Count: > 0 } granted
                || (granted.Count == 1 && granted[0] == entry))
            {
                return false;
            }

            if (!granted.Contains(entry, StringComparer.Ordinal))
            {
                // A host that was never granted (or already revoked) must not end the other hosts' access.
                TgtdLog.RevokeNotGranted(logger, volumeId, entry, record.TargetIqn);
                return true;
            }

            // Recorded first: a crash before the unbind must not let the next restore grant it again.
            var remaining = granted.Where(i => i != entry).ToList();
            records[volumeId] = record with { Initiators = remaining };
            await stateFile.WriteAsync(records.Values, cancellationToken).ConfigureAwait(false);
            foreach (var target in (await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false)).Where(t => t.Iqn == record.TargetIqn))
            {
                await admin.UnbindAclAsync(target.Tid, entry, cancellationToken).ConfigureAwait(false);
            }

            TgtdLog.Revoked(logger, volumeId, entry, record.TargetIqn, remaining.Count);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RestoreExportsAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read afresh: restore runs at every (re-)initialization and the file is the truth.
            exports = null;
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                return;
            }

            await EnsureDaemonAsync(cancellationToken).ConfigureAwait(false);

            var targets = await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false);
            var restored = await RestoreAsync(records, [.. records.Values], targets, cancellationToken).ConfigureAwait(false);
            IscsiLog.Restored(logger, restored, records.Count, stateFile.Path);
            Metrics?.Restored(Backend, IscsiMetrics.ReasonInit, restored);
        }
        finally
        {
            gate.Release();
        }
    }

    public void StartWatching() => watch.Start();

    /// <summary>
    /// With <c>tgt_manage = auto</c>, a tgtd answers before the first tgtadm call: Kiln's own is started
    /// when none does. Only when an export needs one, so a Kiln that never exports never runs tgtd.
    /// </summary>
    private Task EnsureDaemonAsync(CancellationToken cancellationToken) =>
        Daemon?.EnsureAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => watch.DisposeAsync();

    /// <summary>
    /// Compares the recorded exports with what tgtd serves and restores the ones it lost (tgtd restarted,
    /// or a target was deleted or changed outside Kiln). Returns the number restored; the watch calls it
    /// every <c>tgt_check_interval</c> and when Kiln's tgtd restarts.
    /// </summary>
    internal async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await RecordsAsync(cancellationToken).ConfigureAwait(false);
            if (records.Count == 0)
            {
                return 0;
            }

            IReadOnlyList<TgtTarget> targets;
            try
            {
                targets = await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TgtdUnreachableException)
            {
                if (!unreachable)
                {
                    unreachable = true;
                    TgtdLog.Unreachable(logger, Backend, settings.ControlPort, records.Count);
                }

                return 0;
            }

            if (unreachable)
            {
                unreachable = false;
                TgtdLog.Reachable(logger, Backend, settings.ControlPort);
            }

            var lost = records.Values
                .Where(r => System.IO.File.Exists(r.Path))
                .Where(r => targets.FirstOrDefault(t => t.Iqn == r.TargetIqn) is not { } target || !IsIntact(target, r) || !HasAcl(target, r))
                .ToList();
            if (lost.Count == 0)
            {
                return 0;
            }

            TgtdLog.TargetsLost(logger, Backend, lost.Count, records.Count);
            var restored = await RestoreAsync(records, lost, targets, cancellationToken).ConfigureAwait(false);
            TgtdLog.TargetsRestored(logger, Backend, restored, lost.Count);
            Metrics?.Restored(Backend, IscsiMetrics.ReasonTargetsLost, restored);
            return restored;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Ensures the target of each of <paramref name="which"/>; returns how many are served.</summary>
    private async Task<int> RestoreAsync(
        Dictionary<string, ExportRecord> records, IReadOnlyList<ExportRecord> which, IReadOnlyList<TgtTarget> targets, CancellationToken cancellationToken)
    {
        var restored = 0;
        {
            foreach (var recorded in which)
            {
                var record = Conform(recorded);
                if (record != recorded)
                {
                    records[record.VolumeId] = record;
                    await stateFile.WriteAsync(records.Values, cancellationToken).ConfigureAwait(false);
                }

                if (!System.IO.File.Exists(record.Path))
                {
                    // One lost file must not keep every other volume from being served.
                    IscsiLog.RestoreSkipped(logger, record.VolumeId, record.Path);
                    continue;
                }

                try
                {
                    var ensured = await EnsureTargetAsync(records, record, targets, cancellationToken).ConfigureAwait(false);
                    targets = [.. targets.Where(t => t.Iqn != ensured.TargetIqn), new TgtTarget(ensured.Tid, ensured.TargetIqn, new Dictionary<int, string>(), [], [])];
                    restored++;
                }
                catch (DriverException ex) when (ex is not TgtdUnreachableException and not UnrecoverableDriverException)
                {
                    // tgtd refused this one export: the others are still served. Without tgt or tgtd, nothing is.
                    IscsiLog.RestoreFailed(logger, record.VolumeId, record.TargetIqn, ex.Message);
                }
            }
        }

        return restored;
    }

    /// <summary>The record as the current options want it: CHAP credentials added or dropped when <c>use_chap_auth</c> changed.</summary>
    private ExportRecord Conform(ExportRecord record)
    {
        if (settings.UseChapAuth == record.AuthUsername is not null)
        {
            return record;
        }

        var (user, password) = settings.UseChapAuth ? ChapCredentials.Generate() : default;
        return record with { AuthUsername = user, AuthPassword = password };
    }

    private async Task<Dictionary<string, ExportRecord>> RecordsAsync(CancellationToken cancellationToken) =>
        exports ??= await stateFile.ReadAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Makes tgtd serve <paramref name="record"/> exactly: keeps a target that already does, replaces one
    /// that differs (wrong file, account or ACL), creates a missing one on a free tid. Returns the record
    /// with the tid in use, saved when it changed.
    /// </summary>
    private async Task<ExportRecord> EnsureTargetAsync(
        Dictionary<string, ExportRecord> records, ExportRecord record, IReadOnlyList<TgtTarget> targets, CancellationToken cancellationToken)
    {
        var existing = targets.FirstOrDefault(t => t.Iqn == record.TargetIqn);
        if (existing is not null)
        {
            if (IsIntact(existing, record) && await AccountExistsAsync(record, cancellationToken).ConfigureAwait(false))
            {
                // Granting a second host, or revoking a stale grant, leaves the target and its sessions alone.
                await SyncAclAsync(existing, record, cancellationToken).ConfigureAwait(false);
                return await SaveTidAsync(records, record, existing.Tid, cancellationToken).ConfigureAwait(false);
            }

            IscsiLog.Replacing(logger, record.VolumeId, record.TargetIqn, existing.Tid);
            await admin.DeleteTargetAsync(existing.Tid, cancellationToken).ConfigureAwait(false);
            targets = [.. targets.Where(t => t.Tid != existing.Tid)];
        }

        var tid = await NewTargetAsync(record, targets, cancellationToken).ConfigureAwait(false);
        try
        {
            await admin.NewLogicalUnitAsync(tid, Lun, record.Path, cancellationToken).ConfigureAwait(false);
            if (record.AuthUsername is { } user)
            {
                // Re-created every time: tgt cannot show a password, so an old account may hold an old one.
                await admin.DeleteAccountAsync(user, cancellationToken).ConfigureAwait(false);
                await admin.NewAccountAsync(user, record.AuthPassword!, cancellationToken).ConfigureAwait(false);
                await admin.BindAccountAsync(tid, user, cancellationToken).ConfigureAwait(false);
            }

            foreach (var entry in TgtAcl.Of(record))
            {
                await admin.BindAclAsync(tid, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No half-made target (say, one without its CHAP account) may stay reachable.
            await admin.DeleteTargetAsync(tid, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await SaveTidAsync(records, record, tid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The target serves the record's file at LUN 1 with its account (its ACL is synced separately).</summary>
    private static bool IsIntact(TgtTarget target, ExportRecord record) =>
        target.BackingStores.TryGetValue(Lun, out var store) && store == record.Path
        && (record.AuthUsername is null ? target.Accounts.Count == 0 : target.Accounts.SequenceEqual([record.AuthUsername]));

    private static bool HasAcl(TgtTarget target, ExportRecord record) =>
        target.Acls.ToHashSet(StringComparer.Ordinal).SetEquals(TgtAcl.Of(record));

    private async Task SyncAclAsync(TgtTarget target, ExportRecord record, CancellationToken cancellationToken)
    {
        var wanted = TgtAcl.Of(record);
        foreach (var entry in wanted.Where(e => !target.Acls.Contains(e, StringComparer.Ordinal)))
        {
            await admin.BindAclAsync(target.Tid, entry, cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in target.Acls.Where(e => !wanted.Contains(e, StringComparer.Ordinal)))
        {
            await admin.UnbindAclAsync(target.Tid, entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AccountExistsAsync(ExportRecord record, CancellationToken cancellationToken) =>
        record.AuthUsername is null || (await admin.ShowAccountsAsync(cancellationToken).ConfigureAwait(false)).Contains(record.AuthUsername);

    private async Task<int> NewTargetAsync(ExportRecord record, IReadOnlyList<TgtTarget> targets, CancellationToken cancellationToken)
    {
        var taken = targets.Select(t => t.Tid).ToHashSet();
        var tid = record.Tid > 0 && !taken.Contains(record.Tid) ? record.Tid : FreeTid(taken);
        for (var attempt = 1; ; attempt++)
        {
            if (await admin.TryNewTargetAsync(tid, record.TargetIqn, cancellationToken).ConfigureAwait(false))
            {
                return tid;
            }

            // Someone else (another process on this tgtd) took the tid, or made this IQN, since we looked.
            var now = await admin.ShowTargetsAsync(cancellationToken).ConfigureAwait(false);
            if (now.FirstOrDefault(t => t.Iqn == record.TargetIqn) is { } twin)
            {
                await admin.DeleteTargetAsync(twin.Tid, cancellationToken).ConfigureAwait(false);
                now = [.. now.Where(t => t.Tid != twin.Tid)];
            }

            if (attempt == TidAttempts)
            {
                throw new DriverException($"Could not create iSCSI target {record.TargetIqn}: tgtd refused {TidAttempts} target ids as taken.");
            }

            tid = FreeTid([.. now.Select(t => t.Tid)]);
        }
    }

    private static int FreeTid(HashSet<int> taken)
    {
        var tid = 1;
        while (taken.Contains(tid))
        {
            tid++;
        }

        return tid;
    }

    private async Task<ExportRecord> SaveTidAsync(Dictionary<string, ExportRecord> records, ExportRecord record, int tid, CancellationToken cancellationToken)
    {
        if (record.Tid == tid)
        {
            return record;
        }

        var updated = record with { Tid = tid };
        records[record.VolumeId] = updated;
        await stateFile.WriteAsync(records.Values, cancellationToken).ConfigureAwait(false);
        return updated;
    }
}
