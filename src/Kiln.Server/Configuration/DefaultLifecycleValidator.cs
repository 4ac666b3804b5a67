using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Server.Configuration;

/// <summary>
/// Checks the lifecycle options set in [DEFAULT] at start-up with the same rules a backend applies
/// later, so a bad inherited value (say, a negative reinit_driver_count) stops start-up once instead
/// of making every backend unrecoverable.
/// </summary>
internal static class DefaultLifecycleValidator
{
    public static void Validate(ConfiguredSection? defaults, string sourceName)
    {
        try
        {
            LifecycleOptions.Parse(new BackendSection(OptionNames.DefaultSection, defaults?.ToDictionary() ?? []));
        }
        catch (DriverConfigurationException e)
        {
            throw new KilnConfigurationException($"{OriginOf(e, defaults) ?? sourceName}: {e.Message}", e);
        }
    }

    // DriverConfigurationException carries only its message, so the option is recognised by the
    // "[DEFAULT] option = " text of DriverConfigurationException.InvalidOption. When no configured option
    // matches (a value derived from another option's default), the source file is named instead.
    private static string? OriginOf(DriverConfigurationException exception, ConfiguredSection? defaults) =>
        LifecycleOptions.OptionNames
            .Where(name => exception.Message.Contains($"[{OptionNames.DefaultSection}] {name} = ", StringComparison.OrdinalIgnoreCase))
            .Select(name => defaults?.Find(name)?.Origin)
            .FirstOrDefault(origin => origin is not null);
}
