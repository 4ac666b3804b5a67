using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

public sealed class GroupSnapshotsEndpointsTests
{
    [Fact]
    public async Task CreateShowListDelete_OneSnapshotPerVolume_AsTempestDoes()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        var first = await CreateMemberAsync(server, group, volumeType);
        var second = await CreateMemberAsync(server, group, volumeType);

        var created = (await CallAsync(server, HttpMethod.Post, "group_snapshots", $$$"""{"group_snapshot": {"group_id": "{{{group}}}", "name": "gs1"}}""", HttpStatusCode.Accepted, "3.14"))
            .GetProperty("group_snapshot");
        created.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["group_type_id", "id", "name"]);
        var id = created.GetProperty("id").GetString()!;
        var shown = await WaitForGroupAsync(server, $"group_snapshots/{id}", "group_snapshot", "available");
        shown.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["created_at", "description", "group_id", "group_type_id", "id", "name", "status"]);
        shown.GetProperty("group_id").GetString().ShouldBe(group);

        var members = Members(await GetAsync(server, "snapshots/detail", "3.14"), id);
        members.Select(s => s.GetProperty("volume_id").GetString()).Order().ShouldBe(new[] { first, second }.Order());
        members.ShouldAllBe(s => s.GetProperty("status").GetString() == "available");
        (await GetAsync(server, "group_snapshots", "3.14")).GetProperty("group_snapshots")[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["id", "name"]);
        Ids(await GetAsync(server, "group_snapshots/detail", "3.14"), "group_snapshots").ShouldBe([id]);

        await CallAsync(server, HttpMethod.Delete, $"group_snapshots/{id}", null, HttpStatusCode.Accepted, "3.14");
        await WaitForGroupGoneAsync(server, $"group_snapshots/{id}");
        Members(await GetAsync(server, "snapshots/detail", "3.14"), id).ShouldBeEmpty();
        (await GetAsync(server, "snapshots")).GetProperty("snapshots").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task DeleteSnapshot_PartOfAGroupSnapshot_BadRequestAndKept()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType);
        var id = await CreateGroupSnapshotAsync(server, group);
        var member = Members(await GetAsync(server, "snapshots/detail", "3.14"), id).Single().GetProperty("id").GetString();

        (await ErrorAsync(server, HttpMethod.Delete, $"snapshots/{member}", null, HttpStatusCode.BadRequest)).ShouldContain("must not be part of a group");

        (await GetAsync(server, $"snapshots/{member}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");

        // The group cannot go while it has group snapshots either (Cinder's "Group has existing snapshots.").
        (await ErrorAsync(server, HttpMethod.Post, $"groups/{group}/action", """{"delete": {"delete-volumes": true}}""", HttpStatusCode.BadRequest, GroupVersion))
            .ShouldBe("Invalid group: Group has existing snapshots.");
    }

    [Fact]
    public async Task CreateGroupFromGroupSnapshot_VolumesFromTheSnapshots()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType, size: 3);
        var groupSnapshot = await CreateGroupSnapshotAsync(server, group);
        var member = Members(await GetAsync(server, "snapshots/detail", "3.14"), groupSnapshot).Single().GetProperty("id").GetString();

        var id = (await CallAsync(server, HttpMethod.Post, "groups/action", $$$"""{"create-from-src": {"group_snapshot_id": "{{{groupSnapshot}}}", "name": "from-snap"}}""", HttpStatusCode.Accepted, "3.14"))
            .GetProperty("group").GetProperty("id").GetString()!;

        var created = await WaitForGroupAsync(server, $"groups/{id}", "group", "available");
        created.GetProperty("group_snapshot_id").GetString().ShouldBe(groupSnapshot);
        var volume = (await GetAsync(server, "volumes/detail", "3.14")).GetProperty("volumes").EnumerateArray()
            .Single(v => v.GetProperty("group_id").ValueKind == JsonValueKind.String && v.GetProperty("group_id").GetString() == id);
        volume.GetProperty("snapshot_id").GetString().ShouldBe(member);
        volume.GetProperty("size").GetInt32().ShouldBe(3);
        volume.GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task ResetStatus_Admin319_EachStatus()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType);
        var id = await CreateGroupSnapshotAsync(server, group);

        foreach (var status in new[] { "creating", "available", "error" })
        {
            await CallAsync(server, HttpMethod.Post, $"group_snapshots/{id}/action", $$$"""{"reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted, "3.19");
            (await GetGroupAsync(server, $"group_snapshots/{id}")).GetProperty("group_snapshot").GetProperty("status").GetString().ShouldBe(status);
        }

        await ErrorAsync(server, HttpMethod.Post, $"group_snapshots/{id}/action", """{"reset_status": {"status": "available"}}""", HttpStatusCode.NotFound, "3.18");
        (await ErrorAsync(server, HttpMethod.Post, $"group_snapshots/{id}/action", """{"reset_status": {"status": "bogus"}}""", HttpStatusCode.BadRequest, "3.19")).ShouldContain("bogus");
    }

    [Fact]
    public async Task Create_DriverFails_GroupSnapshotAndEverySnapshotInError()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType);
        await CreateMemberAsync(server, group, volumeType);
        await ReinitFastWithAsync(server, """{"ops": "fail"}""", BackendState.Ready);

        var body = JsonSerializer.Serialize(new { group_snapshot = new { group_id = group, name = "doomed" } });
        var id = (await CallAsync(server, HttpMethod.Post, "group_snapshots", body, HttpStatusCode.Accepted, "3.14")).GetProperty("group_snapshot").GetProperty("id").GetString()!;

        await WaitForGroupAsync(server, $"group_snapshots/{id}", "group_snapshot", "error");
        var members = Members(await GetAsync(server, "snapshots/detail", "3.14"), id);
        members.Length.ShouldBe(2);
        members.ShouldAllBe(s => s.GetProperty("status").GetString() == "error");
    }

    [Fact]
    public async Task Create_BackendNotReady_ConflictAndNoGroupSnapshot()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var group = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, group, volumeType);
        await ReinitFastWithAsync(server, """{"init": "transient"}""", BackendState.Failed);

        var body = JsonSerializer.Serialize(new { group_snapshot = new { group_id = group } });
        (await ErrorAsync(server, HttpMethod.Post, "group_snapshots", body, HttpStatusCode.Conflict, "3.14")).ShouldContain("node@fast");

        (await GetAsync(server, "group_snapshots", "3.14")).GetProperty("group_snapshots").GetArrayLength().ShouldBe(0);
        (await GetAsync(server, "snapshots")).GetProperty("snapshots").GetArrayLength().ShouldBe(0);
    }

    private static JsonElement[] Members(JsonElement list, string groupSnapshotId) =>
        [.. list.GetProperty("snapshots").EnumerateArray()
            .Where(s => s.GetProperty("group_snapshot_id").ValueKind == JsonValueKind.String && s.GetProperty("group_snapshot_id").GetString() == groupSnapshotId)];
}
