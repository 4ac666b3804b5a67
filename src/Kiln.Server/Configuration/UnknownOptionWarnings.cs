using Kiln.Server.Policy;

namespace Kiln.Server.Configuration;

/// <summary>
/// Lists what Kiln will ignore: unknown [DEFAULT], [database], [oslo_middleware], [oslo_policy] and [keystone_authtoken]
/// options, and sections that are not enabled backends (with an upstream Cinder driver enabled, only those that look like
/// backends: the rest is the Cinder drivers'). Warnings, not errors, so a cinder.conf-style
/// file with extra options still starts.
/// </summary>
internal static class UnknownOptionWarnings
{
    public static IEnumerable<string> Find(ConfiguredOptions options, IReadOnlyList<string> enabledBackends)
    {
        var backends = new HashSet<string>(enabledBackends, StringComparer.OrdinalIgnoreCase);

        // Upstream Cinder drivers read [DEFAULT], [backend_defaults] and the sections Cinder's libraries own
        // (CinderSharedSections): with one enabled, what Kiln does not know there is theirs, and the driver host reports
        // the [DEFAULT] options Cinder does not know either. A section with a volume_driver still looks like a backend
        // left out of enabled_backends by mistake.
        var cinder = enabledBackends.Any(b => CinderSharedSections.RunsCinderDriver(options.FindSection(b)));
        foreach (var section in options.Sections)
        {
            var known = Is(section, OptionNames.DefaultSection) ? OptionNames.KnownDefaultOptions
                : Is(section, OptionNames.DatabaseSection) ? OptionNames.KnownDatabaseOptions
                : Is(section, OptionNames.OsloMiddlewareSection) ? OptionNames.KnownOsloMiddlewareOptions
                : Is(section, PolicyOptions.Section) ? PolicyOptions.KnownOptions
                : Is(section, KeystoneOptionNames.Section) ? KeystoneOptionNames.Known
                : null;

            if (cinder && (Is(section, OptionNames.DefaultSection) || (known is null && !backends.Contains(section.Name) && section.Find("volume_driver") is null)))
            {
                continue;
            }

            if (known is null)
            {
                // Options inside backend sections belong to the driver, which validates them itself.
                if (!backends.Contains(section.Name))
                {
                    yield return $"{section.Origin}: section [{section.Name}] is not in {OptionNames.EnabledBackends} and is ignored";
                }

                continue;
            }

            foreach (var option in section.Options.Where(o => !known.Contains(o.Name)))
            {
                yield return $"{option.Origin}: [{section.Name}] {option.Name} is not a known option and is ignored";
            }
        }
    }

    private static bool Is(ConfiguredSection section, string name) => string.Equals(section.Name, name, StringComparison.OrdinalIgnoreCase);
}
