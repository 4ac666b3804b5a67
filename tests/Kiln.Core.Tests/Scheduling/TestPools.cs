using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;

namespace Kiln.Core.Tests.Scheduling;

/// <summary>Pools and requests for scheduler tests: a default pool passes every filter of a default request.</summary>
internal static class TestPools
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static PoolCandidate Pool(
        string name = "node@fast#fast",
        double total = 1000,
        double free = 1000,
        int reserved = 0,
        double provisioned = 0,
        double ratio = 1.0,
        bool thin = false,
        bool thick = true,
        BackendState state = BackendState.Ready,
        string zone = "nova",
        string backendName = "fast",
        IReadOnlyDictionary<string, string>? capabilities = null)
    {
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        var host = name[..hash];
        var pool = name[(hash + 1)..];
        return new PoolCandidate
        {
            BackendHost = host,
            PoolName = pool,
            State = state,
            Stats = new PoolStats
            {
                PoolName = pool,
                TotalCapacityGb = total,
                FreeCapacityGb = free,
                ReservedPercentage = reserved,
                ProvisionedCapacityGb = provisioned,
                MaxOverSubscriptionRatio = ratio,
                ThinProvisioningSupport = thin,
                ThickProvisioningSupport = thick,
                Capabilities = capabilities ?? new Dictionary<string, string>(),
            },
            VolumeBackendName = backendName,
            AvailabilityZone = zone,
            StorageProtocol = "iSCSI",
            VendorName = "Kiln",
            DriverVersion = "1.0.0",
        };
    }

    public static PlacementRequest Request(int size = 10, params (string Key, string Value)[] specs) => new()
    {
        SizeGb = size,
        ExtraSpecs = specs.ToDictionary(s => s.Key, s => s.Value),
    };

    /// <summary>Null when the pool takes the volume on its own; otherwise the reason the user would read.</summary>
    public static string? ReasonFor(PoolCandidate pool, PlacementRequest request)
    {
        var result = new VolumeScheduler().Place(request, [pool], Now);
        if (result is Placed placed)
        {
            placed.Pool.ShouldBeSameAs(pool);
            return null;
        }

        var none = result.ShouldBeOfType<NoValidBackend>();
        var exclusion = none.Exclusions.ShouldHaveSingleItem();
        exclusion.Pool.ShouldBe(pool.Name);
        none.Message.ShouldBe($"No valid backend was found: {pool.Name}: {exclusion.Reason}");
        return exclusion.Reason;
    }
}
