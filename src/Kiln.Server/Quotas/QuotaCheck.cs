namespace Kiln.Server.Quotas;

/// <summary>What a write that consumes quota checks its charges against, inside its transaction.</summary>
/// <param name="Limits">The project's limits, read before the transaction (an update racing with it applies to the next request, as in Cinder).</param>
/// <param name="TypeNamesById">The volume types whose per-type resources are charged.</param>
/// <param name="NoSnapshotGigabytes"><c>no_snapshot_gb_quota</c>.</param>
public sealed record QuotaCheck(QuotaLimits Limits, IReadOnlyDictionary<string, string> TypeNamesById, bool NoSnapshotGigabytes);
