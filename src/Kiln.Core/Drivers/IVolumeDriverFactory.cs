namespace Kiln.Core.Drivers;

/// <summary>Creates drivers of one <c>volume_driver</c> name. Registered once per process.</summary>
public interface IVolumeDriverFactory
{
    /// <summary>The value of <c>volume_driver</c> that selects this factory, for example <c>fault</c>.</summary>
    string Name { get; }

    /// <summary>Option names this driver reads from its backend section, so unknown ones can be reported.</summary>
    IReadOnlyCollection<string> OptionNames { get; }

    /// <summary>
    /// Creates the driver. Must not touch storage: that is <see cref="IVolumeDriver.SetupAsync"/>'s job.
    /// May throw <see cref="Errors.DriverConfigurationException"/> for option values it cannot parse.
    /// </summary>
    IVolumeDriver Create(DriverContext context);
}
