using System.Globalization;
using Kiln.Core.Drivers;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File;

/// <summary>The file driver's options, parsed and validated once per driver instance.</summary>
internal sealed record FileOptions
{
    public const string VolumesDir = "file_volumes_dir";
    public const string VolumeFormatOption = "file_volume_format";
    public const string RequireMountpoint = "file_require_mountpoint";
    public const string MaxOverSubscriptionRatio = "max_over_subscription_ratio";
    public const string ReservedPercentage = "reserved_percentage";
    public const string VolumeBackendName = "volume_backend_name";

    /// <summary>Cinder's NAS option: owner-only files (0600) and directories (0700) when true (the default).</summary>
    public const string SecureFilePermissions = "nas_secure_file_permissions";
    public const double DefaultMaxOverSubscriptionRatio = 20.0;

    public static IReadOnlyCollection<string> Names { get; } =
        [VolumesDir, VolumeFormatOption, RequireMountpoint, MaxOverSubscriptionRatio, ReservedPercentage, SecureFilePermissions];

    /// <summary>Full path of the directory holding this backend's files.</summary>
    public required string Directory { get; init; }

    /// <summary>True when <see cref="Directory"/> is the default under <c>state_path</c>, which setup creates.</summary>
    public bool DirectoryIsDefault { get; init; }

    public VolumeFormat Format { get; init; }

    public bool RequireMountpointValue { get; init; }

    public double OverSubscriptionRatio { get; init; } = DefaultMaxOverSubscriptionRatio;

    public int Reserved { get; init; }

    public required string BackendDisplayName { get; init; }

    /// <summary>
    /// Whether volume files are the owner's alone. Guest disks hold tenants' data: with the umask's 0644 /
    /// 0755 any local user could read them. False gives the group read and write (0660 / 0770) for
    /// operators whose tools (a backup agent, a hypervisor user) reach the files through a group.
    /// </summary>
    public bool SecurePermissions { get; init; } = true;

    /// <summary>Mode of every volume and snapshot file this driver writes.</summary>
    public UnixFileMode FileMode => SecurePermissions
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Mode of the volumes directory when this driver creates it, or tightens it.</summary>
    public UnixFileMode DirectoryMode => SecurePermissions
        ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    /// <summary>Reads every option; throws <see cref="DriverConfigurationException"/> naming the first bad one.</summary>
    public static FileOptions Parse(BackendSection section, string? statePath)
    {
        ArgumentNullException.ThrowIfNull(section);
        var (directory, isDefault) = ReadDirectory(section, statePath);
        return new FileOptions
        {
            Directory = directory,
            DirectoryIsDefault = isDefault,
            Format = ReadFormat(section),
            RequireMountpointValue = section.GetBoolean(RequireMountpoint, defaultValue: false),
            OverSubscriptionRatio = ReadRatio(section),
            Reserved = section.GetInt32(ReservedPercentage, 0, min: 0, max: 100),
            BackendDisplayName = NonEmpty(section.GetString(VolumeBackendName)) ?? section.Name,
            SecurePermissions = ReadSecurePermissions(section),
        };
    }

    // Cinder's "auto" decides from the files already there (secure only if none are world-readable); Kiln's
    // files were 0644 before this option existed, so "auto" would keep them open. It means true here.
    private static bool ReadSecurePermissions(BackendSection section) =>
        section.GetString(SecureFilePermissions)?.Trim().ToUpperInvariant() switch
        {
            null or "" or "AUTO" => true,
            _ => section.GetBoolean(SecureFilePermissions, defaultValue: true),
        };

    private static (string Directory, bool IsDefault) ReadDirectory(BackendSection section, string? statePath)
    {
        var raw = section.GetString(VolumesDir);
        if (NonEmpty(raw) is { } configured)
        {
            return Path.IsPathFullyQualified(configured)
                ? (Path.TrimEndingDirectorySeparator(Path.GetFullPath(configured)), false)
                : throw DriverConfigurationException.InvalidOption(section.Name, VolumesDir, raw, "expected an absolute path");
        }

        if (string.IsNullOrWhiteSpace(statePath))
        {
            throw new DriverConfigurationException($"[{section.Name}] {VolumesDir} is not set and there is no state_path to put volumes under; set {VolumesDir}");
        }

        return (Path.Combine(Path.GetFullPath(statePath), "volumes", section.Name), true);
    }

    private static VolumeFormat ReadFormat(BackendSection section)
    {
        var raw = section.GetString(VolumeFormatOption);
        return raw?.Trim().ToUpperInvariant() switch
        {
            null or "" or "RAW" => VolumeFormat.Raw,
            "QCOW2" => VolumeFormat.Qcow2,
            _ => throw DriverConfigurationException.InvalidOption(section.Name, VolumeFormatOption, raw, "expected raw or qcow2"),
        };
    }

    private static double ReadRatio(BackendSection section)
    {
        var raw = section.GetString(MaxOverSubscriptionRatio);
        if (NonEmpty(raw) is not { } text)
        {
            return DefaultMaxOverSubscriptionRatio;
        }

        // Cinder also accepts "auto"; Kiln has no history to compute it from, so it says so.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && double.IsFinite(ratio) && ratio >= 1.0
            ? ratio
            : throw DriverConfigurationException.InvalidOption(section.Name, MaxOverSubscriptionRatio, raw, "expected a number >= 1.0 (\"auto\" is not supported)");
    }

    // An INI line "option =" means "not set".
    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
