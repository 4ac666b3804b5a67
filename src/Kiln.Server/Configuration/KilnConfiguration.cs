using Kiln.Core.Drivers;
using Kiln.Server.Policy;

namespace Kiln.Server.Configuration;

/// <summary>Kiln's validated start-up configuration, read from kiln.conf (or the embedded defaults) and KILN__ environment variables.</summary>
public sealed class KilnConfiguration
{
    internal KilnConfiguration(
        string host,
        string statePath,
        string listenAddress,
        int listenPort,
        TimeSpan reportInterval,
        TimeSpan serviceDownTime,
        string storageAvailabilityZone,
        string? databaseConnection,
        bool sqliteSynchronous,
        string? transportUrl,
        string? defaultVolumeType,
        bool debug,
        KilnLogFormat logFormat,
        bool readyRequiresBackend,
        IdentityConfiguration identity,
        IReadOnlyList<string> enabledBackends,
        IReadOnlyList<BackendSection> backends,
        PolicyOptions policy,
        string? sourcePath,
        IReadOnlyList<string> warnings)
    {
        Host = host;
        StatePath = statePath;
        ListenAddress = listenAddress;
        ListenPort = listenPort;
        ReportInterval = reportInterval;
        ServiceDownTime = serviceDownTime;
        StorageAvailabilityZone = storageAvailabilityZone;
        DatabaseConnection = databaseConnection;
        SqliteSynchronous = sqliteSynchronous;
        TransportUrl = transportUrl;
        DefaultVolumeType = defaultVolumeType;
        Debug = debug;
        LogFormat = logFormat;
        ReadyRequiresBackend = readyRequiresBackend;
        Identity = identity;
        EnabledBackends = enabledBackends;
        Backends = backends;
        Policy = policy;
        SourcePath = sourcePath;
        Warnings = warnings;
    }

    /// <summary>This node's name, the part before '@' in <c>host@backend</c> (<c>host</c>; default: the machine name).</summary>
    public string Host { get; }

    /// <summary>The data directory as a full path (<c>state_path</c>; default ./kiln-data under the current directory).</summary>
    public string StatePath { get; }

    /// <summary>The IP address the API listens on (<c>osapi_volume_listen</c>; default 127.0.0.1).</summary>
    public string ListenAddress { get; }

    /// <summary>The API's TCP port; 0 means any free port (<c>osapi_volume_listen_port</c>; default 8776).</summary>
    public int ListenPort { get; }

    /// <summary>How often each service records its heartbeat (<c>report_interval</c>; default 2 s, Cinder's 10 s).</summary>
    public TimeSpan ReportInterval { get; }

    /// <summary>How long without a heartbeat before a service is reported down (<c>service_down_time</c>; default 10 s, Cinder's 60 s; always greater than <see cref="ReportInterval"/>).</summary>
    public TimeSpan ServiceDownTime { get; }

    /// <summary>The availability zone of this node's backends (<c>storage_availability_zone</c>; default nova).</summary>
    public string StorageAvailabilityZone { get; }

    /// <summary>The database URL (<c>[database] connection</c>), or null for the embedded SQLite database under <see cref="StatePath"/>.</summary>
    public string? DatabaseConnection { get; }

    /// <summary>
    /// Whether the embedded SQLite database waits for the disk at every commit (<c>[database]
    /// sqlite_synchronous</c>, oslo.db's name; default true). False trades the last commits before a
    /// power loss or kernel crash (never a crash of Kiln itself, never corruption) for about twice
    /// the write throughput; docs/configuration.md says when that is acceptable.
    /// </summary>
    public bool SqliteSynchronous { get; }

    /// <summary>
    /// Whether <c>kiln serve</c> applies pending migrations at start (<c>[database] auto_migrate</c>), or null
    /// for the engine's default: true on SQLite (zero setup), false on PostgreSQL, where the schema moves
    /// once, with <c>kiln db sync</c>, as Cinder's <c>cinder-manage db sync</c> (docs/configuration.md).
    /// </summary>
    public bool? DatabaseAutoMigrate { get; init; }

    /// <summary>The messaging URL (<c>transport_url</c>), or null for in-process messaging.</summary>
    public string? TransportUrl { get; }

    /// <summary>The volume type used when a request names none (<c>default_volume_type</c>), or null.</summary>
    public string? DefaultVolumeType { get; }

    /// <summary>The group type <c>GET /group_types/default</c> answers with (<c>default_group_type</c>, a name), or null for none, as in Cinder.</summary>
    public string? DefaultGroupType { get; init; }

    /// <summary>Whether debug logging is on (<c>debug</c>; default false).</summary>
    public bool Debug { get; }

    /// <summary>How log lines are written (<c>log_format</c>; default text).</summary>
    public KilnLogFormat LogFormat { get; }

    /// <summary>
    /// Whether <c>/healthz/ready</c> also requires a ready or degraded backend when this node runs any
    /// (<c>ready_requires_backend</c>; default true).
    /// </summary>
    public bool ReadyRequiresBackend { get; }

    /// <summary>How API requests are authenticated: <c>auth_strategy</c> and, under Keystone, <c>[keystone_authtoken]</c>.</summary>
    public IdentityConfiguration Identity { get; }

    /// <summary>The backend names from <c>enabled_backends</c>, in order.</summary>
    public IReadOnlyList<string> EnabledBackends { get; }

    /// <summary>
    /// One section per enabled backend, in order: the backend's own options plus the lifecycle options
    /// it inherits from [DEFAULT]. Not validated here; a bad value makes only that backend unrecoverable.
    /// </summary>
    public IReadOnlyList<BackendSection> Backends { get; }

    /// <summary>The <c>[oslo_policy]</c> options: where policy.yaml is and which defaults apply (<see cref="PolicyEnforcerLoader.Load"/>).</summary>
    internal PolicyOptions Policy { get; }

    /// <summary>The quota defaults (<c>quota_volumes</c> …, <c>per_volume_size_limit</c>, <c>no_snapshot_gb_quota</c>).</summary>
    public Kiln.Server.Quotas.QuotaDefaults Quotas { get; init; } = Kiln.Server.Quotas.QuotaDefaults.Cinder;

    /// <summary>The API's links and request limits (<c>public_endpoint</c>, <c>max_metadata_items</c>, <c>[oslo_middleware] max_request_body_size</c>).</summary>
    public ApiOptions Api { get; init; } = ApiOptions.Default;

    /// <summary>The full path of the file read, or null when running on the embedded defaults.</summary>
    public string? SourcePath { get; }

    /// <summary>Unknown options and sections that were ignored, and risks accepted, one line each, to be logged at start-up.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A copy with <see cref="LogFormat"/> replaced: <c>kiln serve --log-format</c> wins over <c>log_format</c>.</summary>
    public KilnConfiguration WithLogFormat(KilnLogFormat logFormat) => new(
        Host, StatePath, ListenAddress, ListenPort, ReportInterval, ServiceDownTime, StorageAvailabilityZone, DatabaseConnection,
        SqliteSynchronous, TransportUrl, DefaultVolumeType, Debug, logFormat, ReadyRequiresBackend, Identity, EnabledBackends, Backends, Policy, SourcePath, Warnings)
    {
        Quotas = Quotas,
        Api = Api,
        DefaultGroupType = DefaultGroupType,
        DatabaseAutoMigrate = DatabaseAutoMigrate,
    };

    /// <summary>This configuration for a process without the volume role: its backend sections belong to the volume process.</summary>
    public KilnConfiguration WithoutBackends() => new(
        Host, StatePath, ListenAddress, ListenPort, ReportInterval, ServiceDownTime, StorageAvailabilityZone, DatabaseConnection,
        SqliteSynchronous, TransportUrl, DefaultVolumeType, Debug, LogFormat, ReadyRequiresBackend, Identity, [], [], Policy, SourcePath, Warnings)
    {
        Quotas = Quotas,
        Api = Api,
        DefaultGroupType = DefaultGroupType,
    };
}
