using Kiln.Core.Drivers;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>Cinder's <c>iscsi</c> connection info for one export (os-brick reads these keys).</summary>
internal static class IscsiConnectionInfo
{
    public const string DriverVolumeType = "iscsi";

    public static ConnectionInfo For(ExportRecord record, TgtSettings settings)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["target_discovered"] = false,
            ["target_iqn"] = record.TargetIqn,
            ["target_portal"] = settings.TargetPortal,
            ["target_lun"] = TgtExporter.Lun,
            ["volume_id"] = record.VolumeId,
            ["encrypted"] = false,
            ["access_mode"] = "rw",
        };
        if (record.AuthUsername is not null)
        {
            data["auth_method"] = "CHAP";
            data["auth_username"] = record.AuthUsername;
            data["auth_password"] = record.AuthPassword;
        }

        return new ConnectionInfo(DriverVolumeType, data);
    }
}
