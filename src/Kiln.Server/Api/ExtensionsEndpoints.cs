namespace Kiln.Server.Api;

/// <summary>
/// <c>GET /v3/{project_id}/extensions</c>: Cinder's list of API extensions, limited to those Kiln
/// serves, with Cinder's names, aliases, descriptions and dates (old clients probe it to decide what to call).
/// </summary>
internal static class ExtensionsEndpoints
{
    private static readonly (string Name, string Alias, string Description, string Updated)[] Served =
    [
        ("AdminActions", "os-admin-actions", "Enable admin actions.", "2012-08-25T00:00:00+00:00"),
        ("AvailabilityZones", "os-availability-zone", "Describe Availability Zones.", "2013-06-27T00:00:00+00:00"),
        ("Capabilities", "capabilities", "Capabilities support.", "2015-08-31T00:00:00+00:00"),
        ("ExtendedSnapshotAttributes", "os-extended-snapshot-attributes", "Extended SnapshotAttributes support.", "2012-06-19T00:00:00+00:00"),
        ("Hosts", "os-hosts", "Admin-only host administration.", "2011-06-29T00:00:00+00:00"),
        ("QuotaClasses", "os-quota-class-sets", "Quota classes management support.", "2012-03-12T00:00:00+00:00"),
        ("Quotas", "os-quota-sets", "Quota management support.", "2011-08-08T00:00:00+00:00"),
        ("Scheduler_stats", "scheduler-stats", "Scheduler stats support.", "2014-09-07T00:00:00+00:00"),
        ("Services", "os-services", "Services support.", "2012-10-28T00:00:00-00:00"),
        ("SnapshotActions", "os-snapshot-actions", "Enable snapshot manager actions.", "2013-07-16T00:00:00+00:00"),
        ("TypesExtraSpecs", "os-types-extra-specs", "Type extra specs support.", "2011-08-24T00:00:00+00:00"),
        ("TypesManage", "os-types-manage", "Types manage support.", "2011-08-24T00:00:00+00:00"),
        ("UsedLimits", "os-used-limits", "Provide data on limited resources that are being used.", "2013-10-03T00:00:00+00:00"),
        ("VolumeActions", "os-volume-actions", "Enable volume actions.", "2012-05-31T00:00:00+00:00"),
        ("VolumeHostAttribute", "os-vol-host-attr", "Expose host as an attribute of a volume.", "2011-11-03T00:00:00+00:00"),
        ("VolumeMigStatusAttribute", "os-vol-mig-status-attr", "Expose migration_status as an attribute of a volume.", "2013-08-08T00:00:00+00:00"),
        ("VolumeTenantAttribute", "os-vol-tenant-attr", "Expose the internal project_id as an attribute of a volume.", "2011-11-03T00:00:00+00:00"),
    ];

    public static RouteGroupBuilder MapExtensions(this RouteGroupBuilder v3)
    {
        v3.MapGet("/extensions", () => Results.Json(new Dictionary<string, object>
        {
            ["extensions"] = Served.Select(e => new Dictionary<string, object>
            {
                ["name"] = e.Name,
                ["alias"] = e.Alias,
                ["description"] = e.Description,
                ["updated"] = e.Updated,
                ["links"] = Array.Empty<object>(),
            }).ToList(),
        }));
        return v3;
    }
}
