namespace Kiln.Server.Api;

/// <summary>Maps the volume API resources (volumes, snapshots, types, zones, pools, capabilities, quotas, limits) under <c>/v3/{project_id}</c>.</summary>
internal static class VolumeApiRoutes
{
    public static RouteGroupBuilder MapVolumeApi(this RouteGroupBuilder v3)
    {
        v3.MapVolumes();
        v3.MapSnapshots();
        v3.MapTypes();
        v3.MapAvailabilityZones();
        v3.MapSchedulerStats();
        v3.MapCapabilities();
        v3.MapMessages();
        v3.MapQuotaSets();
        v3.MapQuotaClassSets();
        v3.MapLimits();
        v3.MapTransfers();
        v3.MapAttachments();
        v3.MapQosSpecs();
        v3.MapDefaultTypes();
        v3.MapHosts();
        v3.MapExtensions();
        v3.MapFreezeThaw();
        v3.MapGroupApi();

        // Any other path under a project answers in Cinder's error shape rather than an empty 404.
        // The path is empty for /v3/{project_id}/ itself (also what /v3/{project_id}/volumes/.. resolves to).
        v3.MapFallback("{**path}", (string? path) => Refusals.NotFound($"The resource could not be found: {path}"));
        return v3;
    }
}
