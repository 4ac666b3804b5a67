namespace Kiln.Server.Quotas;

/// <summary>Cinder's quota resource names: the global ones, and <c>volumes_&lt;type&gt;</c>, <c>snapshots_&lt;type&gt;</c>, <c>gigabytes_&lt;type&gt;</c> per volume type.</summary>
public static class QuotaResources
{
    public const int Unlimited = -1;

    public const string Volumes = "volumes";
    public const string Snapshots = "snapshots";
    public const string Gigabytes = "gigabytes";
    public const string Backups = "backups";
    public const string BackupGigabytes = "backup_gigabytes";
    public const string PerVolumeGigabytes = "per_volume_gigabytes";
    public const string Groups = "groups";

    /// <summary>The resources every project has, in the order Cinder registers them.</summary>
    public static IReadOnlyList<string> Global { get; } = [Volumes, PerVolumeGigabytes, Snapshots, Gigabytes, Backups, BackupGigabytes, Groups];

    /// <summary>The three per-type resources of a volume type, named as Cinder names them.</summary>
    public static IEnumerable<string> OfType(string typeName) => [PerType(Volumes, typeName), PerType(Gigabytes, typeName), PerType(Snapshots, typeName)];

    public static string PerType(string resource, string typeName) => $"{resource}_{typeName}";

    /// <summary>Every resource when <paramref name="typeNames"/> are the volume types.</summary>
    public static IEnumerable<string> All(IEnumerable<string> typeNames) => Global.Concat(typeNames.SelectMany(OfType));
}
