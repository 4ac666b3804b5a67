namespace Kiln.Server.Quotas;

/// <summary>The limit of every resource for one project (or class); a resource not listed is unlimited.</summary>
public sealed class QuotaLimits(IReadOnlyDictionary<string, int> values)
{
    public IReadOnlyDictionary<string, int> Values { get; } = values;

    public int Of(string resource) => Values.TryGetValue(resource, out var limit) ? limit : QuotaResources.Unlimited;
}
