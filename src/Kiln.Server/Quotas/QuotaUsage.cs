namespace Kiln.Server.Quotas;

/// <summary>What a project uses of one resource: committed (<c>in_use</c>) and held by operations in progress (<c>reserved</c>).</summary>
public readonly record struct QuotaUsage(long InUse, long Reserved)
{
    public long Consumed => InUse + Reserved;
}
