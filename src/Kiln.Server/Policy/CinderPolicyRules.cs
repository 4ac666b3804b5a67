namespace Kiln.Server.Policy;

/// <summary>
/// Cinder Zed's names for the rules Kiln's API checks (every name is in <see cref="CinderPolicyDefaults"/>;
/// a test holds them to it). Cinder's own rule names, so an operator's policy.yaml for Cinder works unchanged.
/// </summary>
internal static class CinderPolicyRules
{
    // Base rules other rules refer to.
    public const string ContextIsAdmin = "context_is_admin";
    public const string AdminApi = "admin_api";

    // Volumes.
    public const string VolumeCreate = "volume:create";
    public const string VolumeCreateFromImage = "volume:create_from_image";
    public const string VolumeGet = "volume:get";
    public const string VolumeGetAll = "volume:get_all";
    public const string VolumeUpdate = "volume:update";
    public const string VolumeDelete = "volume:delete";
    public const string VolumeForceDelete = "volume:force_delete";
    public const string VolumeHostAttribute = "volume_extension:volume_host_attribute";
    public const string VolumeTenantAttribute = "volume_extension:volume_tenant_attribute";
    public const string VolumeMigrationStatusAttribute = "volume_extension:volume_mig_status_attribute";
    public const string VolumeEncryptionMetadata = "volume_extension:volume_encryption_metadata";
    public const string VolumeMultiattach = "volume:multiattach";

    // Volume metadata.
    public const string VolumeMetadataGet = "volume:get_volume_metadata";
    public const string VolumeMetadataCreate = "volume:create_volume_metadata";
    public const string VolumeMetadataUpdate = "volume:update_volume_metadata";
    public const string VolumeMetadataDelete = "volume:delete_volume_metadata";

    // Volume actions (POST /volumes/{id}/action).
    public const string VolumeExtend = "volume:extend";
    public const string VolumeExtendAttached = "volume:extend_attached_volume";
    public const string VolumeRevertToSnapshot = "volume:revert_to_snapshot";
    public const string VolumeRetype = "volume:retype";
    public const string VolumeUpdateReadonlyFlag = "volume:update_readonly_flag";
    public const string VolumeResetStatus = "volume_extension:volume_admin_actions:reset_status";
    public const string VolumeAdminForceDelete = "volume_extension:volume_admin_actions:force_delete";
    public const string VolumeForceDetach = "volume_extension:volume_admin_actions:force_detach";
    public const string VolumeMigrate = "volume_extension:volume_admin_actions:migrate_volume";
    public const string VolumeInitializeConnection = "volume_extension:volume_actions:initialize_connection";
    public const string VolumeTerminateConnection = "volume_extension:volume_actions:terminate_connection";
    public const string VolumeAttach = "volume_extension:volume_actions:attach";
    public const string VolumeDetach = "volume_extension:volume_actions:detach";
    public const string VolumeReserve = "volume_extension:volume_actions:reserve";
    public const string VolumeUnreserve = "volume_extension:volume_actions:unreserve";
    public const string VolumeBeginDetaching = "volume_extension:volume_actions:begin_detaching";
    public const string VolumeRollDetaching = "volume_extension:volume_actions:roll_detaching";
    public const string VolumeUploadImage = "volume_extension:volume_actions:upload_image";

    // Snapshots.
    public const string SnapshotCreate = "volume:create_snapshot";
    public const string SnapshotGet = "volume:get_snapshot";
    public const string SnapshotGetAll = "volume:get_all_snapshots";
    public const string SnapshotUpdate = "volume:update_snapshot";
    public const string SnapshotDelete = "volume:delete_snapshot";
    public const string SnapshotExtendedAttributes = "volume_extension:extended_snapshot_attributes";
    public const string SnapshotResetStatus = "volume_extension:snapshot_admin_actions:reset_status";
    public const string SnapshotForceDelete = "volume_extension:snapshot_admin_actions:force_delete";
    public const string SnapshotUpdateStatus = "snapshot_extension:snapshot_actions:update_snapshot_status";

    // Volume types. Zed split volume_extension:types_manage into type_create, type_update and type_delete;
    // an override of the old name still applies to all three (PolicyRuleSetBuilder).
    public const string TypeCreate = "volume_extension:type_create";
    public const string TypeUpdate = "volume_extension:type_update";
    public const string TypeDelete = "volume_extension:type_delete";
    public const string TypeGet = "volume_extension:type_get";
    public const string TypeGetAll = "volume_extension:type_get_all";
    public const string TypeAccessExtraSpecs = "volume_extension:access_types_extra_specs";
    public const string TypeAccessQosSpecsId = "volume_extension:access_types_qos_specs_id";
    public const string TypeAccess = "volume_extension:volume_type_access";
    public const string TypeAccessAddProject = "volume_extension:volume_type_access:addProjectAccess";
    public const string TypeAccessRemoveProject = "volume_extension:volume_type_access:removeProjectAccess";
    public const string TypeAccessGetAllForType = "volume_extension:volume_type_access:get_all_for_type";

    // Volume type encryption.
    public const string EncryptionCreate = "volume_extension:volume_type_encryption:create";
    public const string EncryptionGet = "volume_extension:volume_type_encryption:get";
    public const string EncryptionUpdate = "volume_extension:volume_type_encryption:update";
    public const string EncryptionDelete = "volume_extension:volume_type_encryption:delete";

    // QoS specs.
    public const string QosGetAll = "volume_extension:qos_specs_manage:get_all";
    public const string QosGet = "volume_extension:qos_specs_manage:get";
    public const string QosCreate = "volume_extension:qos_specs_manage:create";
    public const string QosUpdate = "volume_extension:qos_specs_manage:update";
    public const string QosDelete = "volume_extension:qos_specs_manage:delete";

    // Default volume types (3.62).
    public const string DefaultTypeSet = "volume_extension:default_set_or_update";
    public const string DefaultTypeGet = "volume_extension:default_get";
    public const string DefaultTypeGetAll = "volume_extension:default_get_all";
    public const string DefaultTypeUnset = "volume_extension:default_unset";

    // Volume type extra specs.
    public const string ExtraSpecsIndex = "volume_extension:types_extra_specs:index";
    public const string ExtraSpecsCreate = "volume_extension:types_extra_specs:create";
    public const string ExtraSpecsShow = "volume_extension:types_extra_specs:show";
    public const string ExtraSpecsReadSensitive = "volume_extension:types_extra_specs:read_sensitive";
    public const string ExtraSpecsUpdate = "volume_extension:types_extra_specs:update";
    public const string ExtraSpecsDelete = "volume_extension:types_extra_specs:delete";

    // Services, hosts, pools and capabilities.
    public const string ServicesIndex = "volume_extension:services:index";
    public const string ServicesUpdate = "volume_extension:services:update";
    public const string Hosts = "volume_extension:hosts";
    public const string FreezeHost = "volume:freeze_host";
    public const string ThawHost = "volume:thaw_host";
    public const string SchedulerGetPools = "scheduler_extension:scheduler_stats:get_pools";
    public const string Capabilities = "volume_extension:capabilities";

    // User messages (3.3).
    public const string MessageGet = "message:get";
    public const string MessageGetAll = "message:get_all";
    public const string MessageDelete = "message:delete";

    // Limits and quotas.
    public const string UsedLimits = "limits_extension:used_limits";
    public const string QuotasShow = "volume_extension:quotas:show";
    public const string QuotasUpdate = "volume_extension:quotas:update";
    public const string QuotasDelete = "volume_extension:quotas:delete";
    public const string QuotaClassesGet = "volume_extension:quota_classes:get";
    public const string QuotaClassesUpdate = "volume_extension:quota_classes:update";

    // Attachments (3.27).
    public const string AttachmentCreate = "volume:attachment_create";
    public const string AttachmentUpdate = "volume:attachment_update";
    public const string AttachmentDelete = "volume:attachment_delete";
    public const string AttachmentComplete = "volume:attachment_complete";
}
