namespace Kiln.Server.Quotas;

/// <summary>A charge that would take a resource over its limit, with Cinder's message for it (HTTP 413).</summary>
public sealed record QuotaDenial(string Resource, int Limit, long Consumed, long Requested)
{
    /// <summary>Cinder's VolumeLimitExceeded, SnapshotLimitExceeded or VolumeSizeExceedsAvailableQuota text.</summary>
    public string Message =>
        Resource.StartsWith(QuotaResources.Gigabytes, StringComparison.Ordinal)
            ? $"Requested volume or snapshot exceeds allowed {Resource} quota. Requested {Requested}G, quota is {Limit}G and {Consumed}G has been consumed."
            : Resource.StartsWith(QuotaResources.Snapshots, StringComparison.Ordinal)
                ? $"Maximum number of snapshots allowed ({Limit}) exceeded"
                : Resource == QuotaResources.Groups
                    ? $"Maximum number of groups allowed ({Limit}) exceeded"
                    : $"Maximum number of volumes allowed ({Limit}) exceeded for quota '{Resource}'.";

    /// <summary>The first charge over its limit, in the order given (Cinder reports the first resource over), or null when all fit.</summary>
    public static QuotaDenial? Check(IEnumerable<QuotaCharge> charges, IReadOnlyDictionary<string, QuotaUsage> usage, QuotaLimits limits)
    {
        foreach (var charge in charges)
        {
            var limit = limits.Of(charge.Resource);
            var consumed = usage.GetValueOrDefault(charge.Resource).Consumed;

            // long: a limit near int.MaxValue plus a large delta must not wrap to a negative sum.
            if (limit != QuotaResources.Unlimited && consumed + charge.Delta > limit)
            {
                return new QuotaDenial(charge.Resource, limit, consumed, charge.Delta);
            }
        }

        return null;
    }
}
