using Kiln.Core.Drivers;
using Kiln.Drivers.File;
using Kiln.Server.Backends;

namespace Kiln.Server.Api;

/// <summary>
/// The <c>iscsi_target</c> field of Kiln's lifecycle view on <c>os-services</c> (only with the
/// <see cref="KilnExtensions"/> opt-in): the tgtd that serves a file backend's exports — who manages it
/// (<c>tgt_manage</c>), its state, control port, the PID and restarts of the one Kiln runs. Null for
/// other drivers and for backends of other nodes (the tgtd is a local process).
/// </summary>
internal sealed class TargetDaemonView(IEnumerable<IVolumeDriverFactory> factories, BackendCatalog backends)
{
    public const string Field = "iscsi_target";

    private readonly FileDriverFactory? files = factories.OfType<FileDriverFactory>().FirstOrDefault();

    public Dictionary<string, object?>? For(string host)
    {
        if (files is null
            || backends.SectionOf(host) is not { } section
            || !string.Equals(section.GetString(DriverCatalog.VolumeDriverOption)?.Trim(), files.Name, StringComparison.OrdinalIgnoreCase)
            || files.TargetDaemonOf(section) is not { } status)
        {
            return null;
        }

        return new Dictionary<string, object?>
        {
            ["manage"] = status.Manage,
            ["state"] = status.State,
            ["control_port"] = status.ControlPort,
            ["pid"] = status.ProcessId,
            ["restarts"] = status.Restarts,
            ["since"] = ServiceView.Timestamp(status.Since),
        };
    }
}
