using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Server.Configuration;

namespace Kiln.Server.Backends;

/// <summary>
/// One <see cref="BackendHost"/> per enabled backend. A backend whose section cannot be used still gets
/// a host, which reports the problem as <c>unrecoverable</c>: one bad section never stops the others.
/// </summary>
internal sealed partial class BackendCatalog
{
    private readonly Dictionary<string, BackendHost> byHost = new(StringComparer.Ordinal);

    public BackendCatalog(
        KilnConfiguration configuration,
        DriverCatalog drivers,
        ITransitionalResourceCleaner cleaner,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("Kiln.Backends");
        var seed = Environment.ProcessId;
        foreach (var section in configuration.Backends)
        {
            var host = $"{configuration.Host}@{section.Name}";
            LifecycleOptions options;
            Func<IVolumeDriver> create;
            try
            {
                options = LifecycleOptions.Parse(section);
                var factory = drivers.Resolve(section);
                WarnUnknownOptions(logger, section, factory);
                var context = new DriverContext(section, timeProvider, loggerFactory) { StatePath = configuration.StatePath };
                create = () => factory.Create(context);
            }
            catch (Core.Errors.DriverConfigurationException ex)
            {
                // The host's first attempt rethrows it, so the backend shows it as unrecoverable.
                options = new LifecycleOptions();
                create = () => throw ex;
            }

            byHost[host] = new BackendHost(
                host, section.Name, options, create, cleaner, timeProvider, new Random(HashCode.Combine(seed, host)), logger);
        }
    }

    public IReadOnlyCollection<BackendHost> Hosts => byHost.Values;

    /// <summary>The backend host named <c>host@backend</c>, or null.</summary>
    public BackendHost? Find(string host) => byHost.GetValueOrDefault(host);

    private static void WarnUnknownOptions(ILogger logger, BackendSection section, IVolumeDriverFactory factory)
    {
        foreach (var key in section.Keys)
        {
            if (!DriverCatalog.CommonOptions.Contains(key) && !factory.OptionNames.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                LogUnknownOption(logger, section.Name, key, factory.Name);
            }
        }
    }

    [LoggerMessage(200, LogLevel.Warning, "[{Section}] {Option} is not an option of the {Driver} driver and is ignored")]
    private static partial void LogUnknownOption(ILogger logger, string section, string option, string driver);
}
