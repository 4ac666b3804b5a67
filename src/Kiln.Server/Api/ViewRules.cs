namespace Kiln.Server.Api;

/// <summary>Cinder's policy rules that decide which optional fields a view shows.</summary>
internal static class ViewRules
{
    public const string VolumeHost = "volume_extension:volume_host_attribute";
    public const string VolumeTenant = "volume_extension:volume_tenant_attribute";
    public const string VolumeMigrationStatus = "volume_extension:volume_mig_status_attribute";
    public const string SnapshotExtendedAttributes = "volume_extension:extended_snapshot_attributes";
    public const string TypeExtraSpecs = "volume_extension:access_types_extra_specs";
    public const string TypeQosSpecsId = "volume_extension:access_types_qos_specs_id";
    public const string TypeAccess = "volume_extension:volume_type_access";
}
