namespace Kiln.Server.Policy;

/// <summary>Cinder Zed's rule names for generic volume groups (every one is in <see cref="CinderPolicyDefaults"/>).</summary>
internal static class GroupPolicyRules
{
    public const string TypeCreate = "group:group_types:create";
    public const string TypeUpdate = "group:group_types:update";
    public const string TypeDelete = "group:group_types:delete";
    public const string TypeAccessSpecs = "group:access_group_types_specs";
    public const string SpecsGet = "group:group_types_specs:get";
    public const string SpecsGetAll = "group:group_types_specs:get_all";
    public const string SpecsCreate = "group:group_types_specs:create";
    public const string SpecsUpdate = "group:group_types_specs:update";
    public const string SpecsDelete = "group:group_types_specs:delete";

    public const string GetAll = "group:get_all";
    public const string Create = "group:create";
    public const string Get = "group:get";
    public const string Update = "group:update";
    public const string Delete = "group:delete";
    public const string ResetStatus = "group:reset_status";
    public const string ProjectAttribute = "group:group_project_attribute";

    public const string SnapshotGetAll = "group:get_all_group_snapshots";
    public const string SnapshotCreate = "group:create_group_snapshot";
    public const string SnapshotGet = "group:get_group_snapshot";
    public const string SnapshotDelete = "group:delete_group_snapshot";
    public const string SnapshotResetStatus = "group:reset_group_snapshot_status";
    public const string SnapshotProjectAttribute = "group:group_snapshot_project_attribute";
}
