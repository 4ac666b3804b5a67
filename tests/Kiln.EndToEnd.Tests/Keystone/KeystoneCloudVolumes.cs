using System.Net;

namespace Kiln.EndToEnd.Tests.Keystone;

/// <summary>Volume calls of the Keystone tests, each made as a user with a fresh token of theirs.</summary>
internal static class KeystoneCloudVolumes
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>Creates a 1 GB volume in the user's project and waits until it is available; returns its id.</summary>
    public static Task<string> CreateAvailableVolumeAsync(this KeystoneCloud cloud, KeystoneUser user, string name) =>
        AsAsync(cloud, user, async volumes =>
        {
            var (status, id) = await volumes.CreateAsync(1, name);
            status.ShouldBe(HttpStatusCode.Accepted);
            await volumes.WaitForStatusAsync(id!, "available", Settle);
            return id!;
        });

    /// <summary>The volume's status as the user sees it; null when the user cannot see it.</summary>
    public static Task<string?> VolumeStatusAsync(this KeystoneCloud cloud, KeystoneUser user, string id) =>
        AsAsync(cloud, user, volumes => volumes.StatusAsync(id));

    public static Task WaitForVolumeStatusAsync(this KeystoneCloud cloud, KeystoneUser user, string id, string status) =>
        AsAsync(cloud, user, async volumes =>
        {
            await volumes.WaitForStatusAsync(id, status, Settle);
            return true;
        });

    public static Task WaitVolumeGoneAsync(this KeystoneCloud cloud, KeystoneUser user, string id) =>
        AsAsync(cloud, user, async volumes =>
        {
            await volumes.WaitGoneAsync(id, Settle);
            return true;
        });

    private static async Task<T> AsAsync<T>(KeystoneCloud cloud, KeystoneUser user, Func<VolumeApi, Task<T>> call)
    {
        var token = await cloud.TokenAsync(user);
        using var http = cloud.Client(token);
        return await call(new VolumeApi(http, token.ProjectId));
    }
}
