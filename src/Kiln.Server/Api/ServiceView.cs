using System.Globalization;
using Kiln.Core.Lifecycle;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>
/// One entry of <c>GET os-services</c>: Cinder's fields, plus Kiln's lifecycle fields on volume
/// backends (present with null values rather than absent, so scripts can rely on the keys).
/// </summary>
internal static class ServiceView
{
    /// <summary>Cinder's timestamp format: ISO 8601 in UTC with microseconds and no offset.</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> From(ServiceRecord record, bool up, BackendSnapshot? backend, ApiVersion version)
    {
        var view = new Dictionary<string, object?>
        {
            ["binary"] = record.Binary,
            ["host"] = record.Host,
            ["zone"] = record.Zone,
            ["status"] = record.Disabled ? "disabled" : "enabled",
            ["state"] = up ? "up" : "down",
            ["updated_at"] = Timestamp(record.UpdatedAt),
            ["disabled_reason"] = record.DisabledReason,
        };
        if (version >= new ApiVersion(3, 7))
        {
            view["cluster"] = null;
        }

        if (backend is null)
        {
            return view;
        }

        view["replication_status"] = "disabled";
        view["active_backend_id"] = null;
        view["frozen"] = false;
        if (version >= ApiVersion.BackendState)
        {
            view["backend_state"] = backend.State.IsSchedulable() ? "up" : "down";
        }

        view["driver_state"] = backend.State.ToWireName();
        view["driver_error"] = backend.ErrorText;
        view["reinit_attempts"] = backend.ReinitAttempts;
        view["reinit_budget"] = backend.ReinitBudget;
        view["reinit_next_at"] = Timestamp(backend.NextAttemptAt);
        view["driver_state_since"] = Timestamp(backend.Since);
        return view;
    }
}
