namespace Kiln.Server.Api;

/// <summary>Maps the volume API resources (volumes, snapshots, types, zones, pools, capabilities) under <c>/v3/{project_id}</c>.</summary>
internal static class VolumeApiRoutes
{
    public static RouteGroupBuilder MapVolumeApi(this RouteGroupBuilder v3) => v3;
}
