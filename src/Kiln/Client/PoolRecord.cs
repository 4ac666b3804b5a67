using System.Text.Json;

namespace Kiln.Cli.Client;

/// <summary>
/// One pool of <c>get_pools?detail=true</c>, flattened: its backend (<c>host@backend</c>), that backend's
/// lifecycle state, and capacity. Serialized as-is (snake_case) by <c>--output json</c>.
/// </summary>
internal sealed record PoolRecord(
    string Name,
    string Backend,
    string? Pool,
    string? DriverState,
    string? VolumeBackendName,
    double? TotalCapacityGb,
    double? FreeCapacityGb,
    double? AllocatedCapacityGb,
    DateTimeOffset? StatsUpdatedAt,
    double? ProvisionedCapacityGb,
    double? MaxOverSubscriptionRatio,
    double? ReservedPercentage,
    bool? ThinProvisioningSupport)
{
    public static PoolRecord FromJson(JsonElement pool)
    {
        var name = pool.RequiredString("name");
        var capabilities = pool.TryGetProperty("capabilities", out var value) ? value : default;
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        return new PoolRecord(
            Name: name,
            Backend: hash < 0 ? name : name[..hash],
            Pool: Read(capabilities, c => c.String("pool_name")) ?? (hash < 0 ? null : name[(hash + 1)..]),
            DriverState: Read(capabilities, c => c.String("driver_state")),
            VolumeBackendName: Read(capabilities, c => c.String("volume_backend_name")),
            TotalCapacityGb: Read(capabilities, c => c.Double("total_capacity_gb")),
            FreeCapacityGb: Read(capabilities, c => c.Double("free_capacity_gb")),
            AllocatedCapacityGb: Read(capabilities, c => c.Double("allocated_capacity_gb")),
            StatsUpdatedAt: Read(capabilities, c => c.Timestamp("timestamp")),
            ProvisionedCapacityGb: Read(capabilities, c => c.Double("provisioned_capacity_gb")),
            MaxOverSubscriptionRatio: Read(capabilities, c => c.Double("max_over_subscription_ratio")),
            ReservedPercentage: Read(capabilities, c => c.Double("reserved_percentage")),
            ThinProvisioningSupport: Read(capabilities, c => c.Boolean("thin_provisioning_support")));
    }

    private static T? Read<T>(JsonElement capabilities, Func<JsonElement, T?> read) =>
        capabilities.ValueKind == JsonValueKind.Object ? read(capabilities) : default;
}
