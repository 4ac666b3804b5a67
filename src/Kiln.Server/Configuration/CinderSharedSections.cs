using Kiln.Drivers.Cinder;
using Kiln.Server.Policy;

namespace Kiln.Server.Configuration;

/// <summary>
/// The sections of kiln.conf an upstream Cinder driver reads besides its own, as it reads them from cinder.conf under
/// cinder-volume: [DEFAULT] (the global options Cinder registers: <c>my_ip</c>, <c>rootwrap_config</c>, …),
/// [backend_defaults] (the fallback of every backend section) and any other section Cinder or a library owns
/// ([oslo_concurrency], [coordination], …). Left out: the [DEFAULT] options Kiln reads itself (its meaning, not
/// necessarily Cinder's; the host program sets <c>host</c> and <c>state_path</c> to Kiln's values), the sections Kiln
/// owns ([database] would point Cinder's database code at Kiln's database), every enabled backend's section and every
/// section with a <c>volume_driver</c> (a backend not enabled).
/// </summary>
internal static class CinderSharedSections
{
    /// <summary>The name Cinder's shared driver options live under (cinder.volume.configuration.SHARED_CONF_GROUP).</summary>
    public const string BackendDefaults = "backend_defaults";

    private static readonly HashSet<string> KilnSections = new(
        [OptionNames.DatabaseSection, OptionNames.OsloMiddlewareSection, PolicyOptions.Section, KeystoneOptionNames.Section],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the backend section <paramref name="section"/> runs an upstream Cinder driver.</summary>
    public static bool RunsCinderDriver(ConfiguredSection? section) =>
        section?.Find("volume_driver")?.Value.Trim() is { Length: > 0 } driver && CinderDriverFactory.Selects(driver);

    /// <summary>The sections handed to <paramref name="section"/>'s driver; empty unless it runs an upstream Cinder driver.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> For(
        ConfiguredOptions options, ConfiguredSection? section, IReadOnlyList<string> enabledBackends)
    {
        var shared = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (!RunsCinderDriver(section))
        {
            return shared;
        }

        var backends = new HashSet<string>(enabledBackends, StringComparer.OrdinalIgnoreCase);
        foreach (var candidate in options.Sections)
        {
            if (KilnSections.Contains(candidate.Name) || backends.Contains(candidate.Name))
            {
                continue;
            }

            var isDefault = string.Equals(candidate.Name, OptionNames.DefaultSection, StringComparison.OrdinalIgnoreCase);
            var isShared = string.Equals(candidate.Name, BackendDefaults, StringComparison.OrdinalIgnoreCase);
            if (!isDefault && !isShared && candidate.Find("volume_driver") is not null)
            {
                // A backend left out of enabled_backends: ignored, as the start-up warning says (UnknownOptionWarnings).
                continue;
            }

            var values = candidate.Options
                .Where(o => !isDefault || !IsKilnDefaultOption(o.Name))
                .ToDictionary(o => o.Name, o => o.Value, StringComparer.OrdinalIgnoreCase);
            if (values.Count > 0)
            {
                // oslo.config's group names are case-sensitive: Cinder's spelling, whatever the file's.
                var name = isDefault ? OptionNames.DefaultSection
                    : isShared ? BackendDefaults
                    : candidate.Name;
                shared[name] = values;
            }
        }

        return shared;
    }

    private static bool IsKilnDefaultOption(string name) =>
        OptionNames.KnownDefaultOptions.Contains(name) || CinderDriverOptions.KilnOptionNames.Contains(name, StringComparer.OrdinalIgnoreCase);
}
