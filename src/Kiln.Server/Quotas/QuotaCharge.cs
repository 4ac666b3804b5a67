namespace Kiln.Server.Quotas;

/// <summary>What one request adds to one resource.</summary>
public readonly record struct QuotaCharge(string Resource, long Delta);
