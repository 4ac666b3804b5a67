using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Configuration;

/// <summary>
/// Builds each enabled backend's <see cref="BackendSection"/>: its own options plus the lifecycle options it inherits from
/// [DEFAULT], and for an upstream Cinder driver the other sections it reads (<see cref="CinderSharedSections"/>).
/// </summary>
internal static class BackendSections
{
    public static IReadOnlyList<BackendSection> Build(ConfiguredOptions options, IReadOnlyList<string> enabledBackends)
    {
        var defaults = options.FindSection(OptionNames.DefaultSection);
        return [.. enabledBackends.Select(name => Build(name, options.FindSection(name), defaults, CinderSharedSections.For(options, options.FindSection(name), enabledBackends)))];
    }

    // A backend without a section still gets one (empty but for inherited options): the backend then
    // fails on its missing volume_driver and is reported unrecoverable, without stopping the others.
    private static BackendSection Build(string name, ConfiguredSection? section, ConfiguredSection? defaults, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> shared)
    {
        var values = section?.ToDictionary() ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in LifecycleOptions.OptionNames)
        {
            if (!values.ContainsKey(option) && defaults?.Find(option) is { } inherited)
            {
                values[option] = inherited.Value;
            }
        }

        return new BackendSection(name, values) { SharedSections = shared };
    }
}
