using Kiln.Core.Lifecycle;

namespace Kiln.Server.Configuration;

/// <summary>The sections and global options Kiln reads; Cinder's names where Cinder has the option.</summary>
internal static class OptionNames
{
    public const string DefaultSection = "DEFAULT";
    public const string DatabaseSection = "database";
    public const string OsloMiddlewareSection = "oslo_middleware";

    public const string Host = "host";
    public const string StatePath = "state_path";
    public const string EnabledBackends = "enabled_backends";
    public const string ListenAddress = "osapi_volume_listen";
    public const string ListenPort = "osapi_volume_listen_port";
    public const string ReportInterval = "report_interval";
    public const string ServiceDownTime = "service_down_time";
    public const string StorageAvailabilityZone = "storage_availability_zone";
    public const string TransportUrl = "transport_url";
    public const string AuthStrategy = "auth_strategy";
    public const string AllowNoauthRemote = "allow_noauth_remote";
    public const string DefaultVolumeType = "default_volume_type";
    public const string DefaultGroupType = "default_group_type";
    public const string Debug = "debug";
    public const string LogFormat = "log_format";
    public const string ReadyRequiresBackend = "ready_requires_backend";
    public const string DatabaseConnection = "connection";
    public const string SqliteSynchronous = "sqlite_synchronous";
    public const string AutoMigrate = "auto_migrate";
    public const string QuotaVolumes = "quota_volumes";
    public const string QuotaSnapshots = "quota_snapshots";
    public const string QuotaGigabytes = "quota_gigabytes";
    public const string QuotaBackups = "quota_backups";
    public const string QuotaBackupGigabytes = "quota_backup_gigabytes";
    public const string PerVolumeSizeLimit = "per_volume_size_limit";
    public const string QuotaGroups = "quota_groups";
    public const string NoSnapshotGbQuota = "no_snapshot_gb_quota";
    public const string PublicEndpoint = "public_endpoint";
    public const string MaxMetadataItems = "max_metadata_items";
    public const string MaxRequestBodySize = "max_request_body_size";

    /// <summary>Options read from [DEFAULT], including the lifecycle options backends inherit.</summary>
    public static IReadOnlySet<string> KnownDefaultOptions { get; } = new HashSet<string>(
        [
            Host, StatePath, EnabledBackends, ListenAddress, ListenPort, ReportInterval, ServiceDownTime,
            StorageAvailabilityZone, TransportUrl, AuthStrategy, AllowNoauthRemote, DefaultVolumeType, Debug, LogFormat,
            ReadyRequiresBackend, DefaultGroupType,
            QuotaVolumes, QuotaSnapshots, QuotaGigabytes, QuotaBackups, QuotaBackupGigabytes, PerVolumeSizeLimit, QuotaGroups, NoSnapshotGbQuota,
            PublicEndpoint, MaxMetadataItems,
            .. LifecycleOptions.OptionNames,
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Options read from [database].</summary>
    public static IReadOnlySet<string> KnownDatabaseOptions { get; } =
        new HashSet<string>([DatabaseConnection, SqliteSynchronous, AutoMigrate], StringComparer.OrdinalIgnoreCase);

    /// <summary>Options read from [oslo_middleware].</summary>
    public static IReadOnlySet<string> KnownOsloMiddlewareOptions { get; } =
        new HashSet<string>([MaxRequestBodySize], StringComparer.OrdinalIgnoreCase);
}
