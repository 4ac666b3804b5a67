using System.Globalization;
using Kiln.Core.Lifecycle;
using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// One entry of <c>GET os-services</c>: Cinder's fields, plus, when the caller asks for them
/// (<see cref="KilnExtensions"/>), Kiln's lifecycle fields on volume backends (present with null
/// values rather than absent, so scripts can rely on the keys).
/// </summary>
internal static class ServiceView
{
    /// <summary>Cinder's timestamp format: ISO 8601 in UTC with microseconds and no offset.</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> From(ServiceEntry entry, ApiVersion version, bool extended)
    {
        var record = entry.Record;
        var view = new Dictionary<string, object?>
        {
            ["binary"] = record.Binary,
            ["host"] = record.Host,
            ["zone"] = record.Zone,
            ["status"] = record.Disabled ? "disabled" : "enabled",
            ["state"] = entry.Up ? "up" : "down",
            ["updated_at"] = Timestamp(record.UpdatedAt),
            ["disabled_reason"] = record.DisabledReason,
        };
        if (version >= new ApiVersion(3, 7))
        {
            view["cluster"] = null;
        }

        if (record.Binary != StoredService.VolumeBinary)
        {
            return view;
        }

        // A backend of this node shows its live snapshot; one of another node, what that node stored.
        var live = entry.Live;
        var state = live?.State.ToWireName() ?? record.DriverState;
        view["replication_status"] = "disabled";
        view["active_backend_id"] = null;
        view["frozen"] = record.Frozen;
        if (version >= ApiVersion.BackendState)
        {
            view["backend_state"] = state is "ready" or "degraded" ? "up" : "down";
        }

        if (!extended)
        {
            return view;
        }

        view["driver_state"] = state;
        view["driver_error"] = live is null ? record.DriverError : live.ErrorText;
        view["reinit_attempts"] = live?.ReinitAttempts ?? record.ReinitAttempts;
        view["reinit_budget"] = live?.ReinitBudget ?? record.ReinitBudget;
        view["reinit_next_at"] = Timestamp(live is null ? record.ReinitNextAt : live.NextAttemptAt);
        view["driver_state_since"] = Timestamp(live?.Since ?? record.DriverStateSince);
        return view;
    }
}
