using System.Text.Json;
using System.Text.Json.Nodes;
using Kiln.Core.Drivers;
using Microsoft.Extensions.Logging;

namespace Kiln.Drivers.Cinder;

/// <summary>
/// An upstream Cinder driver seen through its host process. Every instance (every initialization attempt)
/// starts a fresh process in <see cref="SetupAsync"/> (forked by the zygote, <see cref="DriverHostLauncher"/>): loading the class, building its configuration and
/// <c>do_setup</c> all happen inside Kiln's <c>driver_init_timeout</c>, and a process killed at a timeout or
/// crashed is never reused. Each call is bounded by Kiln's timeouts through its cancellation token.
/// </summary>
internal sealed class CinderDriver(DriverContext context, CinderDriverOptions options, DriverHostRegistry registry, DriverHostLauncher launcher) : IVolumeDriver
{
    private readonly ILogger logger = context.LoggerFactory.CreateLogger("Kiln.Drivers.Cinder");
    private readonly string host = context.Host ?? context.BackendName;
    private DriverHostProcess? process;

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAndSetupAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A failed attempt's instance lives on until the next attempt replaces it (a probe could use it; this driver
            // has none): its process would idle all that time, holding the driver's connections and memory.
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task CheckForSetupErrorAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("check_for_setup_error", null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task LoadAndSetupAsync(CancellationToken cancellationToken)
    {
        var started = await launcher.StartAsync(options, host, logger, registry, cancellationToken).ConfigureAwait(false);
        process = started;
        Log.HostStarted(logger, host, started.Pid, options.VolumeDriver);
        var driverOptions = new JsonObject();
        foreach (var (key, value) in options.DriverOptions)
        {
            driverOptions[key] = value;
        }

        var sharedSections = new JsonObject();
        foreach (var (name, values) in options.SharedSections)
        {
            sharedSections[name] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
        }

        var loaded = await started.CallAsync(
            "load",
            new JsonObject
            {
                ["backend"] = context.BackendName,
                ["host"] = host,
                ["volume_driver"] = options.VolumeDriver,
                ["options"] = driverOptions,
                ["sections"] = sharedSections,
                ["state_path"] = context.StatePath is { } statePath ? Path.GetFullPath(statePath) : null,
            },
            cancellationToken).ConfigureAwait(false);
        var version = loaded.ValueKind == JsonValueKind.Object && loaded.TryGetProperty("version", out var v) ? v.ToString() : "?";
        Log.DriverLoaded(logger, host, options.VolumeDriver, version, started.Pid);
        await CallAsync("do_setup", null, cancellationToken).ConfigureAwait(false);
    }


    public async Task<BackendStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        var stats = await CallAsync("get_volume_stats", new JsonObject { ["refresh"] = true }, cancellationToken).ConfigureAwait(false);
        return CinderStats.Read(stats, context.BackendName);
    }

    public async Task<VolumeUpdate> CreateVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) =>
        Update(await CallAsync("create_volume", new JsonObject { ["volume"] = Volume(volume) }, cancellationToken).ConfigureAwait(false));

    public async Task<VolumeUpdate> CreateVolumeFromSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
        Update(await CallAsync("create_volume_from_snapshot", new JsonObject { ["volume"] = Volume(volume), ["snapshot"] = Snapshot(snapshot) }, cancellationToken).ConfigureAwait(false));

    public async Task<VolumeUpdate> CreateCloneAsync(VolumeRef volume, VolumeRef source, CancellationToken cancellationToken) =>
        Update(await CallAsync("create_cloned_volume", new JsonObject { ["volume"] = Volume(volume), ["src_vref"] = Volume(source) }, cancellationToken).ConfigureAwait(false));

    public Task DeleteVolumeAsync(VolumeRef volume, CancellationToken cancellationToken) =>
        CallAsync("delete_volume", new JsonObject { ["volume"] = Volume(volume) }, cancellationToken);

    public Task ExtendVolumeAsync(VolumeRef volume, int newSizeGb, CancellationToken cancellationToken) =>
        CallAsync("extend_volume", new JsonObject { ["volume"] = Volume(volume), ["new_size"] = newSizeGb }, cancellationToken);

    public Task CreateSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) => CreateSnapshotWithUpdateAsync(snapshot, cancellationToken);

    /// <summary>The driver's <c>create_snapshot</c>; its model update is stored with the snapshot, as Cinder stores it.</summary>
    public async Task<VolumeUpdate> CreateSnapshotWithUpdateAsync(SnapshotRef snapshot, CancellationToken cancellationToken) =>
        Update(await CallAsync("create_snapshot", new JsonObject { ["snapshot"] = Snapshot(snapshot) }, cancellationToken).ConfigureAwait(false));

    public Task DeleteSnapshotAsync(SnapshotRef snapshot, CancellationToken cancellationToken) =>
        CallAsync("delete_snapshot", new JsonObject { ["snapshot"] = Snapshot(snapshot) }, cancellationToken);

    /// <summary>The driver's <c>revert_to_snapshot</c>; a driver without one answers not_implemented, which is Kiln's NotSupportedException.</summary>
    public Task RevertToSnapshotAsync(VolumeRef volume, SnapshotRef snapshot, CancellationToken cancellationToken) =>
        CallAsync("revert_to_snapshot", new JsonObject { ["volume"] = Volume(volume), ["snapshot"] = Snapshot(snapshot) }, cancellationToken);

    /// <summary>
    /// Cinder's volume manager order: <c>create_export</c>, its model update applied to the volume, then
    /// <c>initialize_connection</c> on the updated volume. The update goes back with the connection info
    /// (<see cref="ConnectionInfo.ExportUpdate"/>) for the volume manager to store, as Cinder saves it.
    /// </summary>
    public async Task<ConnectionInfo> InitializeConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var exported = Update(await CallAsync("create_export", new JsonObject { ["volume"] = Volume(volume), ["connector"] = CinderObjects.Connector(connector) }, cancellationToken).ConfigureAwait(false));
        var target = volume with
        {
            ProviderLocation = exported.ProviderLocation ?? volume.ProviderLocation,
            ProviderAuth = exported.ProviderAuth ?? volume.ProviderAuth,
            ProviderId = exported.ProviderId ?? volume.ProviderId,
        };
        var info = await CallAsync("initialize_connection", new JsonObject { ["volume"] = Volume(target), ["connector"] = CinderObjects.Connector(connector) }, cancellationToken).ConfigureAwait(false);
        if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("driver_volume_type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new Core.Errors.DriverException($"initialize_connection returned no driver_volume_type: {info.GetRawText()}");
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (info.TryGetProperty("data", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                data[field.Name] = field.Value;
            }
        }

        return new ConnectionInfo(type.GetString()!, data) { ExportUpdate = exported };
    }

    /// <summary>Cinder's detach order: <c>terminate_connection</c>, then <c>remove_export</c>.</summary>
    public async Task TerminateConnectionAsync(VolumeRef volume, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        await CallAsync("terminate_connection", new JsonObject { ["volume"] = Volume(volume), ["connector"] = CinderObjects.Connector(connector) }, cancellationToken).ConfigureAwait(false);
        await CallAsync("remove_export", new JsonObject { ["volume"] = Volume(volume) }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The driver's <c>ensure_export</c> of an in-use volume (init_host's re-export), handed as cinder-volume hands it: <c>in-use</c>
    /// and attached, with its stored provider fields. Its model update is stored with the volume.
    /// </summary>
    public async Task<VolumeUpdate> EnsureExportAsync(VolumeRef volume, CancellationToken cancellationToken)
    {
        var attached = Volume(volume);
        attached["status"] = "in-use";
        attached["attach_status"] = "attached";
        return Update(await CallAsync("ensure_export", new JsonObject { ["volume"] = attached }, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The driver's <c>update_provider_info</c> with all of the backend's volumes and snapshots; the provider_ids it returns.</summary>
    public async Task<ProviderIdUpdates> UpdateProviderInfoAsync(IReadOnlyList<VolumeRef> volumes, IReadOnlyList<SnapshotRef> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumes);
        ArgumentNullException.ThrowIfNull(snapshots);
        var result = await CallAsync(
            "update_provider_info",
            new JsonObject
            {
                ["volumes"] = new JsonArray([.. volumes.Select(v => (JsonNode)Volume(v))]),
                ["snapshots"] = new JsonArray([.. snapshots.Select(s => (JsonNode)Snapshot(s))]),
            },
            cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Object
            ? new ProviderIdUpdates(ProviderIds(result, "volumes"), ProviderIds(result, "snapshots"))
            : ProviderIdUpdates.None;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref process, null) is { } ended)
        {
            await ended.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<JsonElement> CallAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref process) ?? throw new Core.Errors.DriverException($"{method}: the driver host process is not running") { DriverGone = true };
        return await current.CallAsync(method, parameters, cancellationToken).ConfigureAwait(false);
    }

    private JsonObject Volume(VolumeRef volume) => CinderObjects.Volume(volume, host);

    private JsonObject Snapshot(SnapshotRef snapshot) => CinderObjects.Snapshot(snapshot, host);

    // The provider_* fields of a model update, which Kiln stores as Cinder does; its other keys are not Kiln's to keep.
    private static VolumeUpdate Update(JsonElement update) =>
        update.ValueKind == JsonValueKind.Object
            ? new VolumeUpdate(Text(update, "provider_location")) { ProviderAuth = Text(update, "provider_auth"), ProviderId = Text(update, "provider_id") }
            : VolumeUpdate.None;

    // The host's [{id, provider_id}] list of one kind; entries without both are not updates.
    private static Dictionary<string, string> ProviderIds(JsonElement result, string kind)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.TryGetProperty(kind, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && Text(entry, "id") is { } id && Text(entry, "provider_id") is { } providerId)
                {
                    ids[id] = providerId;
                }
            }
        }

        return ids;
    }

    // A driver may hand back a number where Cinder's object field coerces it to a string (provider_id of some arrays).
    private static string? Text(JsonElement update, string key) =>
        update.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
