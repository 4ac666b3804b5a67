namespace Kiln.Server.Api;

/// <summary>Maps Cinder's generic volume group resources: group types and specs (3.11), groups (3.13), group snapshots (3.14).</summary>
internal static class GroupApiRoutes
{
    public static RouteGroupBuilder MapGroupApi(this RouteGroupBuilder v3)
    {
        v3.MapGroupTypes();
        v3.MapGroups();
        v3.MapGroupSnapshots();
        return v3;
    }
}
