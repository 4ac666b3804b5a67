using Kiln.Core.Drivers;

namespace Kiln.Drivers.Fault;

/// <summary>The fault driver's options, read from its backend section.</summary>
internal sealed class FaultOptions
{
    public const string ControlFile = "fault_control_file";
    public const string CallLog = "fault_call_log";
    public const string CapacityGb = "fault_capacity_gb";
    public const string StateFile = "fault_state_file";
    public const string VolumeBackendName = "volume_backend_name";
    public const int DefaultCapacityGb = 1000;

    private readonly BackendSection section;

    public FaultOptions(BackendSection section)
    {
        this.section = section;
        ControlFilePath = NonEmpty(section.GetString(ControlFile));
        CallLogPath = NonEmpty(section.GetString(CallLog));
        StateFilePath = NonEmpty(section.GetString(StateFile));
        BackendDisplayName = NonEmpty(section.GetString(VolumeBackendName)) ?? section.Name;
    }

    /// <summary>Where the control file lives, or null when every fault is off.</summary>
    public string? ControlFilePath { get; }

    /// <summary>Where each call is recorded, or null when calls are not recorded.</summary>
    public string? CallLogPath { get; }

    /// <summary>Where the backend's volumes are kept on disk, or null when they live in memory only.</summary>
    public string? StateFilePath { get; }

    /// <summary>The name published as <c>volume_backend_name</c>.</summary>
    public string BackendDisplayName { get; }

    /// <summary>
    /// Parsed on demand rather than in the constructor: the factory must not throw for a bad value,
    /// SetupAsync must, so the backend (not the process) becomes unrecoverable.
    /// </summary>
    public int ReadCapacityGb() => section.GetInt32(CapacityGb, DefaultCapacityGb, min: 1);

    // An INI line "option =" means "not set", as for Cinder's optional path options.
    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
