using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;
using Kiln.Server.Configuration;

namespace Kiln.Server.Backends;

/// <summary>
/// One <see cref="BackendHost"/> per enabled backend. A backend whose section cannot be used still gets
/// a host, which reports the problem as <c>unrecoverable</c>: one bad section never stops the others.
/// Each host reads its section again from kiln.conf before a manual re-initialization; <see cref="Reload"/>
/// (SIGHUP) re-initializes exactly the backends whose sections changed.
/// </summary>
internal sealed partial class BackendCatalog
{
    private readonly Dictionary<string, BackendHost> byHost = new(StringComparer.Ordinal);
    private readonly KilnConfiguration configuration;
    private readonly DriverCatalog drivers;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly KilnConfigurationSource source;
    private readonly Lock gate = new();

    // The section each host runs now (by host@backend); replaced when the host reads it again.
    private readonly Dictionary<string, BackendSection> sections = new(StringComparer.Ordinal);

    public BackendCatalog(
        KilnConfiguration configuration,
        DriverCatalog drivers,
        ITransitionalResourceCleaner cleaner,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        KilnConfigurationSource? source = null)
    {
        this.configuration = configuration;
        this.drivers = drivers;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        this.source = source ?? KilnConfigurationSource.For(configuration);
        logger = loggerFactory.CreateLogger("Kiln.Backends");
        var seed = Environment.ProcessId;
        foreach (var section in configuration.Backends)
        {
            var host = $"{configuration.Host}@{section.Name}";
            var definition = Define(section);
            sections[host] = section;
            byHost[host] = new BackendHost(
                host, section.Name, definition.Options, definition.CreateDriver, cleaner, timeProvider, new Random(HashCode.Combine(seed, host)), logger,
                () => Reread(host, section.Name));
        }
    }

    public IReadOnlyCollection<BackendHost> Hosts => byHost.Values;

    /// <summary>The backend host named <c>host@backend</c>, or null.</summary>
    public BackendHost? Find(string host) => byHost.GetValueOrDefault(host);

    /// <summary>The section the backend <c>host@backend</c> runs now, or null when it is not one of this node's.</summary>
    public BackendSection? SectionOf(string host)
    {
        lock (gate)
        {
            return sections.GetValueOrDefault(host);
        }
    }

    /// <summary>
    /// Reads kiln.conf again and asks each backend whose section changed (its own options, lifecycle
    /// options it inherits from [DEFAULT], or for an upstream Cinder driver the other sections it reads,
    /// <see cref="BackendSection.SharedSections"/>) to re-initialize with it; the others are not touched. Backends
    /// added to or removed from <c>enabled_backends</c> need a restart, and the log says so. A file that
    /// no longer validates changes nothing. Returns the hosts asked to re-initialize.
    /// </summary>
    public IReadOnlyList<string> Reload()
    {
        KilnConfiguration fresh;
        try
        {
            fresh = source.Load();
        }
        catch (KilnConfigurationException ex)
        {
            LogReloadFailed(logger, SourceName, ex.Message);
            return [];
        }

        var reinitialized = new List<string>();
        var unchanged = new List<string>();
        foreach (var (host, backend) in byHost)
        {
            var name = host[(host.IndexOf('@', StringComparison.Ordinal) + 1)..];
            var section = FindSection(fresh, name);
            if (section is null)
            {
                LogBackendRemoved(logger, host);
                continue;
            }

            var changed = SectionChanges.Between(Current(host), section);
            if (changed.Count == 0)
            {
                unchanged.Add(host);
                continue;
            }

            var result = backend.RequestRedefinition();
            LogSectionChanged(logger, host, SectionChanges.Describe(changed), result.Accepted ? "re-initializing it" : $"not re-initialized: it is {result.StateAtRequest.ToWireName()}");
            if (result.Accepted)
            {
                reinitialized.Add(host);
            }
        }

        foreach (var name in fresh.EnabledBackends.Where(n => !byHost.ContainsKey($"{configuration.Host}@{n}")))
        {
            LogBackendAdded(logger, $"{configuration.Host}@{name}");
        }

        LogReloaded(logger, SourceName, reinitialized.Count == 0 ? "none" : string.Join(", ", reinitialized), unchanged.Count == 0 ? "none" : string.Join(", ", unchanged));
        return reinitialized;
    }

    private string SourceName => source.Path ?? "the embedded defaults";

    private static BackendSection? FindSection(KilnConfiguration fresh, string name) =>
        fresh.Backends.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    private BackendSection Current(string host)
    {
        lock (gate)
        {
            return sections[host];
        }
    }

    // Runs on the backend's loop before a manual re-initialization. Validated as at start-up: a file
    // that no longer loads is this attempt's configuration error (the backend shows it as unrecoverable).
    private BackendDefinition Reread(string host, string name)
    {
        KilnConfiguration fresh;
        try
        {
            fresh = source.Load();
        }
        catch (KilnConfigurationException ex)
        {
            var error = new DriverConfigurationException($"{ex.Message} (read again for the re-initialization of {host})", ex);
            return new BackendDefinition(Find(host)?.Options ?? new LifecycleOptions(), () => throw error);
        }

        var section = FindSection(fresh, name);
        if (section is null)
        {
            LogBackendRemoved(logger, host);
            section = Current(host);
        }

        var changed = SectionChanges.Between(Current(host), section);
        lock (gate)
        {
            sections[host] = section;
        }

        LogSectionReread(logger, host, SourceName, SectionChanges.Describe(changed));
        return Define(section);
    }

    private BackendDefinition Define(BackendSection section)
    {
        try
        {
            var options = LifecycleOptions.Parse(section);
            var factory = drivers.Resolve(section);
            WarnUnknownOptions(logger, section, factory);
            var context = new DriverContext(section, timeProvider, loggerFactory) { StatePath = configuration.StatePath, Host = $"{configuration.Host}@{section.Name}" };
            return new BackendDefinition(options, () => factory.Create(context));
        }
        catch (DriverConfigurationException ex)
        {
            // The host's attempt rethrows it, so the backend shows it as unrecoverable.
            return new BackendDefinition(new LifecycleOptions(), () => throw ex);
        }
    }

    private static void WarnUnknownOptions(ILogger logger, BackendSection section, IVolumeDriverFactory factory)
    {
        // An upstream Cinder driver's options are known only to oslo.config in its host process, which reports the unknown ones.
        if (factory is Kiln.Drivers.Cinder.CinderDriverFactory)
        {
            return;
        }

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

    [LoggerMessage(1810, LogLevel.Information, "Configuration reloaded from {Source}: backends re-initializing: {Changed}; unchanged: {Unchanged}")]
    private static partial void LogReloaded(ILogger logger, string source, string changed, string unchanged);

    [LoggerMessage(1811, LogLevel.Information, "Backend {Backend}: its section changed in the configuration (options: {Options}); {Action}")]
    private static partial void LogSectionChanged(ILogger logger, string backend, string options, string action);

    [LoggerMessage(1812, LogLevel.Warning, "Backend {Backend} was added to enabled_backends; adding a backend takes a restart of Kiln, until then it does not run")]
    private static partial void LogBackendAdded(ILogger logger, string backend);

    [LoggerMessage(1813, LogLevel.Warning, "Backend {Backend} is no longer in enabled_backends; removing a backend takes a restart of Kiln, until then it keeps running with its last section")]
    private static partial void LogBackendRemoved(ILogger logger, string backend);

    [LoggerMessage(1814, LogLevel.Error, "Configuration reload from {Source} failed; the running configuration is kept: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string source, string reason);

    [LoggerMessage(1815, LogLevel.Information, "Backend {Backend}: section read again from {Source} for the re-initialization; changed options: {Options}")]
    private static partial void LogSectionReread(ILogger logger, string backend, string source, string options);
}
