namespace Kiln.Server.Quotas;

/// <summary>
/// The quota defaults from kiln.conf, with Cinder's option names and defaults (<c>quota_volumes</c> …);
/// the <c>default</c> quota class in the database overrides them. -1 means unlimited.
/// </summary>
public sealed record QuotaDefaults
{
    /// <summary>Cinder's defaults.</summary>
    public static QuotaDefaults Cinder { get; } = new();

    public int Volumes { get; init; } = 10;

    public int Snapshots { get; init; } = 10;

    public int Gigabytes { get; init; } = 1000;

    public int Backups { get; init; } = 10;

    public int BackupGigabytes { get; init; } = 1000;

    public int PerVolumeGigabytes { get; init; } = -1;

    public int Groups { get; init; } = 10;

    /// <summary>Whether snapshots stay out of the <c>gigabytes</c> quota (<c>no_snapshot_gb_quota</c>; default false, as Cinder).</summary>
    public bool NoSnapshotGigabytes { get; init; }

    /// <summary>The configured default of a resource; -1 for per-type resources, as Cinder.</summary>
    public int For(string resource) => resource switch
    {
        QuotaResources.Volumes => Volumes,
        QuotaResources.Snapshots => Snapshots,
        QuotaResources.Gigabytes => Gigabytes,
        QuotaResources.Backups => Backups,
        QuotaResources.BackupGigabytes => BackupGigabytes,
        QuotaResources.PerVolumeGigabytes => PerVolumeGigabytes,
        QuotaResources.Groups => Groups,
        _ => QuotaResources.Unlimited,
    };
}
