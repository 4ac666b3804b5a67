using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Scheduling;

namespace Kiln.Core.Tests.Scheduling;

/// <summary>
/// The placement rules restated plainly, close to Cinder's Python and independent of the product's
/// filter classes, so that property tests can check the scheduler against them.
/// </summary>
internal static class SchedulerModel
{
    public enum Stage
    {
        State,
        RequiredBackend,
        Zone,
        Capabilities,
        Capacity,
    }

    private static readonly string[] Operators =
        ["=", "<in>", "<is>", "<or>", "==", "!=", ">=", "<=", "s==", "s!=", "s<", "s<=", "s>", "s>="];

    /// <summary>The first rule the pool breaks; null when it can take the volume.</summary>
    public static Stage? FirstFailure(PoolCandidate pool, PlacementRequest request)
    {
        if (pool.State != BackendState.Ready && pool.State != BackendState.Degraded)
        {
            return Stage.State;
        }

        if (!string.IsNullOrEmpty(request.RequiredBackendHost) && pool.BackendHost != request.RequiredBackendHost.Split('#')[0])
        {
            return Stage.RequiredBackend;
        }

        if (!string.IsNullOrEmpty(request.AvailabilityZone) && pool.AvailabilityZone != request.AvailabilityZone)
        {
            return Stage.Zone;
        }

        foreach (var (key, requirement) in request.ExtraSpecs)
        {
            string name;
            if (key.StartsWith("capabilities:", StringComparison.Ordinal))
            {
                name = key["capabilities:".Length..];
            }
            else if (key.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            else
            {
                name = key;
            }

            if (Capability(pool, name) is not { } value || !Match(value, requirement))
            {
                return Stage.Capabilities;
            }
        }

        return Fits(pool.Stats, request) ? null : Stage.Capacity;
    }

    public static double Weight(PoolCandidate pool, PlacementRequest request)
    {
        var s = pool.Stats;
        var reserved = s.TotalCapacityGb * s.ReservedPercentage / 100.0;
        return IsThin(s, request)
            ? (s.TotalCapacityGb * s.MaxOverSubscriptionRatio) - s.ProvisionedCapacityGb - reserved
            : s.FreeCapacityGb - reserved;
    }

    private static bool IsThin(PoolStats s, PlacementRequest request) =>
        s.ThinProvisioningSupport
        && !(request.ExtraSpecs.TryGetValue("provisioning:type", out var type) && type.Trim().Equals("thick", StringComparison.OrdinalIgnoreCase));

    private static bool Fits(PoolStats s, PlacementRequest request)
    {
        var total = s.TotalCapacityGb;
        if (double.IsNaN(total) || double.IsInfinity(total) || total <= 0 || !double.IsFinite(s.FreeCapacityGb))
        {
            return false;
        }

        var reserved = total * s.ReservedPercentage / 100.0;
        var free = s.FreeCapacityGb - reserved;
        if (!IsThin(s, request))
        {
            return free >= request.SizeGb;
        }

        var ratio = s.MaxOverSubscriptionRatio;
        if (double.IsNaN(ratio) || double.IsInfinity(ratio) || ratio < 1 || !double.IsFinite(s.ProvisionedCapacityGb) || free <= 0)
        {
            return false;
        }

        return (s.ProvisionedCapacityGb + request.SizeGb) / total <= ratio
            && (total * ratio) - s.ProvisionedCapacityGb - reserved >= request.SizeGb;
    }

    private static string? Capability(PoolCandidate pool, string name) => name switch
    {
        "volume_backend_name" => pool.VolumeBackendName,
        "storage_protocol" => pool.StorageProtocol,
        "vendor_name" => pool.VendorName,
        "driver_version" => pool.DriverVersion,
        "thin_provisioning_support" => pool.Stats.ThinProvisioningSupport ? "True" : "False",
        "thick_provisioning_support" => pool.Stats.ThickProvisioningSupport ? "True" : "False",
        "pool_name" => pool.PoolName,
        _ => pool.Stats.Capabilities.GetValueOrDefault(name),
    };

    private static bool Match(string value, string requirement)
    {
        var words = new Queue<string>(requirement.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (words.Count == 0 || !Operators.Contains(words.Peek()))
        {
            return PlainEqual(value, requirement);
        }

        var op = words.Dequeue();
        if (op == "<or>")
        {
            while (words.Count > 0)
            {
                if (PlainEqual(value, words.Dequeue()))
                {
                    return true;
                }

                words.TryDequeue(out _);
            }

            return false;
        }

        if (words.Count == 0)
        {
            return false;
        }

        var wanted = words.Dequeue();
        return op switch
        {
            "<in>" => value.Contains(wanted, StringComparison.Ordinal),
            "<is>" => Truthy(value) == Truthy(wanted),
            "s==" => value == wanted,
            "s!=" => value != wanted,
            "s<" => string.CompareOrdinal(value, wanted) < 0,
            "s<=" => string.CompareOrdinal(value, wanted) <= 0,
            "s>" => string.CompareOrdinal(value, wanted) > 0,
            "s>=" => string.CompareOrdinal(value, wanted) >= 0,
            _ => Numeric(op, value, wanted),
        };
    }

    private static bool Numeric(string op, string value, string wanted)
    {
        if (!double.TryParse(value, CultureInfo.InvariantCulture, out var x) || !double.TryParse(wanted, CultureInfo.InvariantCulture, out var y))
        {
            return false;
        }

        return op switch
        {
            "=" or ">=" => x >= y,
            "==" => x == y,
            "!=" => x != y,
            "<=" => x <= y,
            _ => throw new ArgumentException(op),
        };
    }

    private static bool PlainEqual(string value, string wanted)
    {
        string[] booleans = ["true", "false"];
        var lowerValue = value.ToLowerInvariant();
        var lowerWanted = wanted.ToLowerInvariant();
        return value == wanted || (booleans.Contains(lowerValue) && lowerValue == lowerWanted);
    }

    private static bool Truthy(string text) => text.Trim().ToLowerInvariant() is "1" or "t" or "true" or "on" or "y" or "yes";
}
