using System.Globalization;
using System.Text.Json;
using Kiln.Core.Drivers;

namespace Kiln.Drivers.Cinder;

/// <summary>Reads a Cinder driver's <c>get_volume_stats</c> dict into Kiln's <see cref="BackendStats"/>.</summary>
internal static class CinderStats
{
    /// <summary>
    /// What Cinder's <c>infinite</c> and <c>unknown</c> capacities become: Cinder's capacity filter lets such a
    /// pool pass whatever its reserved percentage, while Kiln's scheduler refuses a capacity it cannot compare.
    /// 1 PiB with nothing reserved gives the same placements for any real volume size.
    /// </summary>
    public const double UnboundedGb = 1024 * 1024;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "pool_name", "total_capacity_gb", "free_capacity_gb", "allocated_capacity_gb", "provisioned_capacity_gb",
        "reserved_percentage", "max_over_subscription_ratio", "thin_provisioning_support", "thick_provisioning_support",
        "volume_backend_name", "vendor_name", "driver_version", "storage_protocol", "pools",
    };

    public static BackendStats Read(JsonElement stats, string backendName)
    {
        if (stats.ValueKind != JsonValueKind.Object)
        {
            throw new Core.Errors.DriverException($"get_volume_stats returned {stats.ValueKind}, not a dict");
        }

        var name = Text(stats, "volume_backend_name") ?? backendName;

        // A driver without pools reports one, named after the backend, with the capacities at the top level (as Cinder's host manager reads it).
        var pools = stats.TryGetProperty("pools", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? [.. list.EnumerateArray().Select(p => Pool(p, stats, name))]
            : new List<PoolStats> { Pool(stats, stats, name) };
        return new BackendStats
        {
            VolumeBackendName = name,
            VendorName = Text(stats, "vendor_name") ?? "Open Source",
            DriverVersion = Text(stats, "driver_version") ?? "unknown",
            StorageProtocol = Text(stats, "storage_protocol") ?? "unknown",
            Pools = pools,
        };
    }

    private static PoolStats Pool(JsonElement pool, JsonElement backend, string backendName)
    {
        var total = Capacity(pool, "total_capacity_gb");
        var free = Capacity(pool, "free_capacity_gb");
        var unbounded = total is null || free is null;
        var capabilities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { backend, pool })
        {
            foreach (var property in source.EnumerateObject())
            {
                if (!Known.Contains(property.Name) && Capability(property.Value) is { } value)
                {
                    capabilities[property.Name] = value;
                }
            }
        }

        return new PoolStats
        {
            PoolName = Text(pool, "pool_name") ?? backendName,
            TotalCapacityGb = total ?? UnboundedGb,
            FreeCapacityGb = free ?? UnboundedGb,
            AllocatedCapacityGb = Number(pool, "allocated_capacity_gb") ?? 0,
            ProvisionedCapacityGb = Number(pool, "provisioned_capacity_gb") ?? 0,
            ReservedPercentage = unbounded ? 0 : (int)(Number(pool, "reserved_percentage") ?? 0),
            MaxOverSubscriptionRatio = Number(pool, "max_over_subscription_ratio") is { } ratio and >= 1 ? ratio : 1.0,
            ThinProvisioningSupport = Boolean(pool, "thin_provisioning_support") ?? false,
            ThickProvisioningSupport = Boolean(pool, "thick_provisioning_support") ?? true,
            Capabilities = capabilities,
        };
    }

    // "infinite" and "unknown" (and anything else that is not a number) read as null: unbounded.
    private static double? Capacity(JsonElement pool, string name) => Number(pool, name);

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
            _ => null,
        };
    }

    private static bool? Boolean(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase),
            _ => null,
        } : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Capabilities travel as text, Python's spelling for booleans (the pools view shows them as JSON booleans again).
    private static string? Capability(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
