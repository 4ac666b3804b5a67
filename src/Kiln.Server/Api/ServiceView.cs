using System.Globalization;
using System.Text.Json.Serialization;
using Kiln.Core.Lifecycle;
using Kiln.Server.Services;

namespace Kiln.Server.Api;

/// <summary>One entry of <c>GET os-services</c>: Cinder's fields plus Kiln's lifecycle fields for volume backends.</summary>
internal sealed record ServiceView
{
    [JsonPropertyName("binary")]
    public required string Binary { get; init; }

    [JsonPropertyName("host")]
    public required string Host { get; init; }

    [JsonPropertyName("zone")]
    public required string Zone { get; init; }

    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("updated_at")]
    public string? UpdatedAt { get; init; }

    [JsonPropertyName("disabled_reason")]
    public string? DisabledReason { get; init; }

    [JsonPropertyName("cluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Cluster { get; init; }

    [JsonPropertyName("replication_status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplicationStatus { get; init; }

    [JsonPropertyName("active_backend_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ActiveBackendId { get; init; }

    [JsonPropertyName("frozen")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Frozen { get; init; }

    /// <summary>Cinder 3.49: up when the backend can take volumes.</summary>
    [JsonPropertyName("backend_state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BackendState { get; init; }

    [JsonPropertyName("driver_state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DriverState { get; init; }

    [JsonPropertyName("driver_error")]
    public string? DriverError { get; init; }

    [JsonPropertyName("reinit_attempts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ReinitAttempts { get; init; }

    [JsonPropertyName("reinit_budget")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ReinitBudget { get; init; }

    [JsonPropertyName("reinit_next_at")]
    public string? ReinitNextAt { get; init; }

    [JsonPropertyName("driver_state_since")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DriverStateSince { get; init; }

    /// <summary>Cinder's timestamp format: ISO 8601 in UTC with microseconds and no offset.</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static ServiceView From(ServiceRecord record, bool up, BackendSnapshot? backend, ApiVersion version)
    {
        var view = new ServiceView
        {
            Binary = record.Binary,
            Host = record.Host,
            Zone = record.Zone,
            Status = record.Disabled ? "disabled" : "enabled",
            State = up ? "up" : "down",
            UpdatedAt = Timestamp(record.UpdatedAt),
            DisabledReason = record.DisabledReason,
        };
        if (backend is null)
        {
            return view;
        }

        return view with
        {
            ReplicationStatus = "disabled",
            ActiveBackendId = null,
            Frozen = false,
            BackendState = version >= ApiVersion.BackendState ? (backend.State.IsSchedulable() ? "up" : "down") : null,
            DriverState = backend.State.ToWireName(),
            DriverError = backend.ErrorText,
            ReinitAttempts = backend.ReinitAttempts,
            ReinitBudget = backend.ReinitBudget,
            ReinitNextAt = Timestamp(backend.NextAttemptAt),
            DriverStateSince = Timestamp(backend.Since),
        };
    }
}
