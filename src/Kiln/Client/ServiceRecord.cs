using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>
/// One <c>os-services</c> entry with Kiln's lifecycle fields (null for services that are not volume
/// backends). Serialized as-is (snake_case) by <c>--output json</c>.
/// </summary>
internal sealed record ServiceRecord(
    string Binary,
    string Host,
    string? Zone,
    string? Status,
    string? State,
    DateTimeOffset? UpdatedAt,
    string? DisabledReason,
    string? BackendState,
    string? DriverState,
    string? DriverError,
    int? ReinitAttempts,
    int? ReinitBudget,
    DateTimeOffset? ReinitNextAt,
    DateTimeOffset? DriverStateSince)
{
    public static ServiceRecord FromJson(JsonElement service) => new(
        Binary: service.RequiredString("binary"),
        Host: service.RequiredString("host"),
        Zone: service.String("zone"),
        Status: service.String("status"),
        State: service.String("state"),
        UpdatedAt: service.Timestamp("updated_at"),
        DisabledReason: service.String("disabled_reason"),
        BackendState: service.String("backend_state"),
        DriverState: service.String("driver_state"),
        DriverError: service.String("driver_error"),
        ReinitAttempts: service.Int32("reinit_attempts"),
        ReinitBudget: service.Int32("reinit_budget"),
        ReinitNextAt: service.Timestamp("reinit_next_at"),
        DriverStateSince: service.Timestamp("driver_state_since"));
}
