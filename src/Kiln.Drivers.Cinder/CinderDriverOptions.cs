using Kiln.Core.Drivers;
using Kiln.Core.Errors;
using Kiln.Core.Lifecycle;

namespace Kiln.Drivers.Cinder;

/// <summary>What Kiln itself reads from a backend section that runs an upstream Cinder driver.</summary>
internal sealed record CinderDriverOptions(string VolumeDriver, string Python, string HostProgram, bool Prefork, IReadOnlyDictionary<string, string> DriverOptions)
{
    /// <summary>The other sections the driver reads ([DEFAULT], [backend_defaults], …), as <see cref="BackendSection.SharedSections"/> has them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SharedSections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The Python interpreter of the host process; Debian's, where python3-cinder is importable.</summary>
    public const string PythonOption = "driver_host_python";

    /// <summary>The host program; by default the one shipped beside Kiln's assemblies.</summary>
    public const string HostProgramOption = "driver_host_program";

    /// <summary>Whether the host is forked from the pre-imported zygote (default) or started as a process of its own.</summary>
    public const string PreforkOption = "driver_host_prefork";

    public const string DefaultPython = "/usr/bin/python3";

    public const string HostProgramFileName = "cinder-driver-host.py";

    public static IReadOnlyCollection<string> KilnOptionNames { get; } = [PythonOption, HostProgramOption, PreforkOption];

    public static CinderDriverOptions Read(BackendSection section)
    {
        var volumeDriver = section.GetString("volume_driver")?.Trim();
        if (string.IsNullOrEmpty(volumeDriver) || !CinderDriverFactory.Selects(volumeDriver))
        {
            throw DriverConfigurationException.InvalidOption(section.Name, "volume_driver", volumeDriver, "expected a Python class path such as cinder.volume.drivers.lvm.LVMVolumeDriver");
        }

        var python = section.GetString(PythonOption, DefaultPython).Trim();
        var program = section.GetString(HostProgramOption)?.Trim() ?? Path.Combine(AppContext.BaseDirectory, HostProgramFileName);

        var prefork = section.GetString(PreforkOption)?.Trim() is not { Length: > 0 } text || (bool.TryParse(text, out var parsed)
            ? parsed
            : throw DriverConfigurationException.InvalidOption(section.Name, PreforkOption, text, "expected true or false"));

        // Lifecycle options are Kiln's (some share Cinder's [DEFAULT] names but mean Kiln's schedule); the rest is the driver's.
        var driverOptions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in section.Keys)
        {
            if (!LifecycleOptions.OptionNames.Contains(key, StringComparer.OrdinalIgnoreCase) && !KilnOptionNames.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                driverOptions[key] = section.GetString(key)!;
            }
        }

        return new CinderDriverOptions(volumeDriver, python, program, prefork, driverOptions) { SharedSections = section.SharedSections };
    }
}
