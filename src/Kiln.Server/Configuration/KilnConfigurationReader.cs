using System.Globalization;
using static Kiln.Server.Configuration.OptionNames;

namespace Kiln.Server.Configuration;

/// <summary>
/// Validates the global options and assembles <see cref="KilnConfiguration"/>. The first bad global
/// value throws <see cref="KilnConfigurationException"/>; backend options are left to their drivers.
/// </summary>
internal static class KilnConfigurationReader
{
    // Kiln detects a dead node in 10 s, not Cinder's 60 s: its backends leave scheduling and their
    // requests get 409 that much sooner. A heartbeat every 2 s leaves four beats of slack before a
    // live node is called down (a busy database, a GC pause, a tick that failed), so the status does
    // not flap; Cinder's ratio (10 s / 60 s) leaves five.
    private static readonly TimeSpan DefaultReportInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DefaultServiceDownTime = TimeSpan.FromSeconds(10);

    public static KilnConfiguration Read(ConfiguredOptions options, string sourceName, string? sourcePath, IEnumerable<string> earlierWarnings)
    {
        var global = new SectionReader(DefaultSection, options.FindSection(DefaultSection));
        var database = new SectionReader(DatabaseSection, options.FindSection(DatabaseSection));

        var reportInterval = global.Read(ReportInterval, DefaultReportInterval, OptionParsers.PositiveSeconds);
        var serviceDownTime = global.Read(ServiceDownTime, DefaultServiceDownTime, OptionParsers.PositiveSeconds);
        CheckServiceDownTime(global, reportInterval, serviceDownTime);
        var enabledBackends = global.Read(EnabledBackends, [], BackendNames.Parse);
        DefaultLifecycleValidator.Validate(options.FindSection(DefaultSection), sourceName);
        var listenAddress = global.Read(ListenAddress, "127.0.0.1", OptionParsers.IpAddress);
        var identityWarnings = new List<string>();
        var identity = IdentityReader.Read(options, global, listenAddress, sourceName, identityWarnings);

        return new KilnConfiguration(
            host: global.Read(OptionNames.Host, Environment.MachineName, OptionParsers.HostName),
            statePath: global.Read(StatePath, Path.GetFullPath("./kiln-data"), OptionParsers.FullPath),
            listenAddress: listenAddress,
            listenPort: global.Read(ListenPort, 8776, OptionParsers.Port),
            reportInterval: reportInterval,
            serviceDownTime: serviceDownTime,
            storageAvailabilityZone: global.Read(StorageAvailabilityZone, "nova", OptionParsers.NonEmpty),
            databaseConnection: database.ReadOptional(DatabaseConnection),
            sqliteSynchronous: database.Read(SqliteSynchronous, true, OptionParsers.Boolean),
            transportUrl: global.Read(TransportUrl, null, Messaging.Rabbit.RabbitTransport.Parse) is null ? null : global.ReadOptional(TransportUrl),
            defaultVolumeType: global.ReadOptional(DefaultVolumeType),
            debug: global.Read(Debug, false, OptionParsers.Boolean),
            logFormat: global.Read(LogFormat, KilnLogFormat.Text, OptionParsers.LogFormat),
            readyRequiresBackend: global.Read(ReadyRequiresBackend, true, OptionParsers.Boolean),
            identity: identity,
            enabledBackends: enabledBackends,
            backends: BackendSections.Build(options, enabledBackends),
            policy: PolicyOptionsReader.Read(options, sourcePath),
            sourcePath: sourcePath,
            warnings: [.. earlierWarnings, .. identityWarnings, .. UnknownOptionWarnings.Find(options, enabledBackends)])
        {
            Quotas = QuotaDefaultsReader.Read(global),
            DefaultGroupType = global.ReadOptional(OptionNames.DefaultGroupType),
            DatabaseAutoMigrate = database.Find(AutoMigrate) is null ? null : database.Read(AutoMigrate, true, OptionParsers.Boolean),
            Api = ApiOptionsReader.Read(global, new SectionReader(OsloMiddlewareSection, options.FindSection(OsloMiddlewareSection))),
        };
    }

    // A service is reported down after service_down_time without a heartbeat, so with a heartbeat
    // every report_interval or less often every service would flap. Blame the option the operator set.
    private static void CheckServiceDownTime(SectionReader global, TimeSpan reportInterval, TimeSpan serviceDownTime)
    {
        if (serviceDownTime > reportInterval)
        {
            return;
        }

        if (global.Find(ServiceDownTime) is { } downTime)
        {
            throw global.Invalid(downTime, string.Create(CultureInfo.InvariantCulture, $"expected a number of seconds greater than {ReportInterval} ({reportInterval.TotalSeconds} s)"));
        }

        throw global.Invalid(global.Find(ReportInterval)!, string.Create(CultureInfo.InvariantCulture, $"expected a number of seconds smaller than {ServiceDownTime} ({serviceDownTime.TotalSeconds} s)"));
    }
}
