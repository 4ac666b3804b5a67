using System.Net;
using System.Text.Json;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Groups;

/// <summary>Requests shared by the group tests, at microversion 3.20 (groups 3.13, snapshots 3.14, reset 3.20).</summary>
internal static class GroupApi
{
    public const string GroupVersion = "3.20";

    public static async Task<string> CreateVolumeTypeAsync(TestServer server, string? name = null)
    {
        var body = JsonSerializer.Serialize(new { volume_type = new { name = name ?? $"vt-{Guid.NewGuid():N}" } });
        return (await CallAsync(server, HttpMethod.Post, "types", body, HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateGroupTypeAsync(TestServer server, string? name = null, bool isPublic = true)
    {
        var body = JsonSerializer.Serialize(new { group_type = new { name = name ?? $"gt-{Guid.NewGuid():N}", is_public = isPublic } });
        return (await CallAsync(server, HttpMethod.Post, "group_types", body, HttpStatusCode.Accepted, GroupVersion)).GetProperty("group_type").GetProperty("id").GetString()!;
    }

    /// <summary>Creates a group of <paramref name="groupType"/> for <paramref name="volumeType"/> and waits until it is available.</summary>
    public static async Task<string> CreateGroupAsync(TestServer server, string groupType, string volumeType, string name = "g")
    {
        var body = JsonSerializer.Serialize(new { group = new { name, group_type = groupType, volume_types = new[] { volumeType } } });
        var id = (await CallAsync(server, HttpMethod.Post, "groups", body, HttpStatusCode.Accepted, GroupVersion)).GetProperty("group").GetProperty("id").GetString()!;
        await WaitForGroupAsync(server, $"groups/{id}", "group", "available");
        return id;
    }

    /// <summary>Creates a volume of <paramref name="volumeType"/> in <paramref name="groupId"/> and waits until it is available.</summary>
    public static async Task<string> CreateMemberAsync(TestServer server, string groupId, string volumeType, int size = 1)
    {
        var body = JsonSerializer.Serialize(new { volume = new { size, volume_type = volumeType, group_id = groupId } });
        var created = (await CallAsync(server, HttpMethod.Post, "volumes", body, HttpStatusCode.Accepted, GroupVersion)).GetProperty("volume");
        created.GetProperty("group_id").GetString().ShouldBe(groupId);
        var id = created.GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        return id;
    }

    public static async Task<string> CreateGroupSnapshotAsync(TestServer server, string groupId, string name = "gs")
    {
        var body = JsonSerializer.Serialize(new { group_snapshot = new { group_id = groupId, name } });
        var created = (await CallAsync(server, HttpMethod.Post, "group_snapshots", body, HttpStatusCode.Accepted, GroupVersion)).GetProperty("group_snapshot");
        var id = created.GetProperty("id").GetString()!;
        await WaitForGroupAsync(server, $"group_snapshots/{id}", "group_snapshot", "available");
        return id;
    }

    public static Task<JsonElement> GetGroupAsync(TestServer server, string path) => GetAsync(server, path, GroupVersion);

    /// <summary>Polls a group resource (at <see cref="GroupVersion"/>) until its status is <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForGroupAsync(TestServer server, string path, string resource, string status)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var current = (await GetAsync(server, path, GroupVersion)).GetProperty(resource);
            if (current.GetProperty("status").GetString() == status)
            {
                return current;
            }

            System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{path} stays {current.GetProperty("status")}: {current}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls until <paramref name="path"/> answers 404 at <see cref="GroupVersion"/>.</summary>
    public static async Task WaitForGroupGoneAsync(TestServer server, string path)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            using var response = await SendAsync(server, HttpMethod.Get, path, version: GroupVersion);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{path} still answers {response.StatusCode}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static Task<JsonElement> DeleteGroupAsync(TestServer server, string groupId, bool deleteVolumes) =>
        CallAsync(server, HttpMethod.Post, $"groups/{groupId}/action", $$$"""{"delete": {"delete-volumes": {{{(deleteVolumes ? "true" : "false")}}}}}""", HttpStatusCode.Accepted, GroupVersion);
}
