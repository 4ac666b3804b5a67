using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

public sealed class GroupsEndpointsTests
{
    [Fact]
    public async Task CreateShowListDelete_WithAVolume_AsTempestDoes()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var groupType = await CreateGroupTypeAsync(server);

        var created = (await CallAsync(server, HttpMethod.Post, "groups", $$$"""
            {"group": {"name": "g1", "group_type": "{{{groupType}}}", "volume_types": ["{{{volumeType}}}"]}}
            """, HttpStatusCode.Accepted, "3.13")).GetProperty("group");
        created.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["id", "name"]);
        var id = created.GetProperty("id").GetString()!;
        var group = await WaitForGroupAsync(server, $"groups/{id}", "group", "available");
        var volume = await CreateMemberAsync(server, id, volumeType);

        group = (await GetAsync(server, $"groups/{id}", "3.13")).GetProperty("group");
        group.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["availability_zone", "created_at", "description", "group_type", "id", "name", "status", "volume_types"]);
        group.GetProperty("group_type").GetString().ShouldBe(groupType);
        group.GetProperty("volume_types").EnumerateArray().Select(t => t.GetString()).ShouldBe([volumeType]);
        var detail = (await GetAsync(server, "groups/detail", "3.14")).GetProperty("groups").EnumerateArray().Single();
        detail.GetProperty("source_group_id").ValueKind.ShouldBe(JsonValueKind.Null);
        (await GetAsync(server, "groups", "3.13")).GetProperty("groups")[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["id", "name"]);
        (await GetAsync(server, $"volumes/{volume}", "3.13")).GetProperty("volume").GetProperty("group_id").GetString().ShouldBe(id);
        (await GetAsync(server, $"volumes/{volume}", "3.12")).GetProperty("volume").TryGetProperty("group_id", out _).ShouldBeFalse();

        await DeleteGroupAsync(server, id, deleteVolumes: true);
        await WaitForGroupGoneAsync(server, $"groups/{id}");
        await WaitForGoneAsync(server, $"volumes/{volume}");
        (await GetAsync(server, "groups/detail", "3.13")).GetProperty("groups").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Delete_VolumesWithoutTheFlag_BadRequestAndNothingChanges()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        var volume = await CreateMemberAsync(server, id, volumeType);

        (await ErrorAsync(server, HttpMethod.Post, $"groups/{id}/action", """{"delete": {"delete-volumes": false}}""", HttpStatusCode.BadRequest, GroupVersion))
            .ShouldBe($"Invalid group: Group {id} still contains volumes. The delete-volumes flag is required to delete it.");

        (await GetGroupAsync(server, $"groups/{id}")).GetProperty("group").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task DeleteVolume_InAGroup_BadRequestUntilRemovedFromIt()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        var volume = await CreateMemberAsync(server, id, volumeType);

        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.BadRequest)).ShouldContain("must not belong to a group");

        await CallAsync(server, HttpMethod.Put, $"groups/{id}", $$$"""{"group": {"remove_volumes": "{{{volume}}}"}}""", HttpStatusCode.Accepted, GroupVersion);
        await CallAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"volumes/{volume}");
    }

    [Fact]
    public async Task Update_RemoveThenAddVolumeAndRename_MembershipFollows()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        await CreateMemberAsync(server, id, volumeType);
        var second = await CreateMemberAsync(server, id, volumeType);

        await CallAsync(server, HttpMethod.Put, $"groups/{id}", $$$"""{"group": {"name": "new_group", "description": "This is a new group", "remove_volumes": "{{{second}}}"}}""", HttpStatusCode.Accepted, GroupVersion);
        var group = await WaitForGroupAsync(server, $"groups/{id}", "group", "available");
        group.GetProperty("name").GetString().ShouldBe("new_group");
        group.GetProperty("description").GetString().ShouldBe("This is a new group");
        (await MembersAsync(server, id)).Length.ShouldBe(1);
        (await GetAsync(server, $"volumes/{second}", GroupVersion)).GetProperty("volume").GetProperty("group_id").ValueKind.ShouldBe(JsonValueKind.Null);

        await CallAsync(server, HttpMethod.Put, $"groups/{id}", $$$"""{"group": {"add_volumes": "{{{second}}}"}}""", HttpStatusCode.Accepted, GroupVersion);
        (await MembersAsync(server, id)).Length.ShouldBe(2);
    }

    [Fact]
    public async Task Update_VolumeOfAnotherType_BadRequestAndNotAdded()
    {
        await using var server = await StartAsync();
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), await CreateVolumeTypeAsync(server));
        var other = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Put, $"groups/{id}", $$$"""{"group": {"add_volumes": "{{{other}}}"}}""", HttpStatusCode.BadRequest, GroupVersion))
            .ShouldContain("is not supported by the group");
        (await MembersAsync(server, id)).ShouldBeEmpty();
        (await ErrorAsync(server, HttpMethod.Put, $"groups/{id}", """{"group": {}}""", HttpStatusCode.BadRequest, GroupVersion))
            .ShouldContain("no valid name, description, add_volumes, or remove_volumes were provided");
    }

    [Fact]
    public async Task CreateVolume_TypeNotInTheGroup_BadRequestAndNoVolume()
    {
        await using var server = await StartAsync();
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), await CreateVolumeTypeAsync(server));
        var otherType = await CreateVolumeTypeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": 1, "volume_type": "{{{otherType}}}", "group_id": "{{{id}}}"}}""", HttpStatusCode.BadRequest, GroupVersion))
            .ShouldContain("requested type must be supported by this group");
        (await GetAsync(server, "volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ResetStatus_Admin_EachStatusAndBackToAvailable()
    {
        await using var server = await StartAsync();
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), await CreateVolumeTypeAsync(server));

        foreach (var status in new[] { "creating", "available", "error", "available" })
        {
            await CallAsync(server, HttpMethod.Post, $"groups/{id}/action", $$$"""{"reset_status": {"status": "{{{status}}}"}}""", HttpStatusCode.Accepted, "3.20");
            (await GetGroupAsync(server, $"groups/{id}")).GetProperty("group").GetProperty("status").GetString().ShouldBe(status);
        }

        await ErrorAsync(server, HttpMethod.Post, $"groups/{id}/action", """{"reset_status": {"status": "available"}}""", HttpStatusCode.NotFound, "3.19");
        server.Token = "member";
        await CallAsync(server, HttpMethod.Post, $"groups/{id}/action", """{"reset_status": {"status": "error"}}""", HttpStatusCode.Forbidden, "3.20");
    }

    [Fact]
    public async Task CreateFromSourceGroup_ClonesEveryVolumeIntoTheNewGroup()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var source = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        var volume = await CreateMemberAsync(server, source, volumeType, size: 2);

        var created = (await CallAsync(server, HttpMethod.Post, "groups/action", $$$"""{"create-from-src": {"source_group_id": "{{{source}}}", "name": "copy"}}""", HttpStatusCode.Accepted, "3.14"))
            .GetProperty("group");
        created.GetProperty("name").GetString().ShouldBe("copy");
        var id = created.GetProperty("id").GetString()!;

        var group = await WaitForGroupAsync(server, $"groups/{id}", "group", "available");
        group.GetProperty("source_group_id").GetString().ShouldBe(source);
        var members = await MembersAsync(server, id);
        var copy = members.ShouldHaveSingleItem();
        copy.GetProperty("status").GetString().ShouldBe("available");
        copy.GetProperty("source_volid").GetString().ShouldBe(volume);
        copy.GetProperty("size").GetInt32().ShouldBe(2);
        await ErrorAsync(server, HttpMethod.Post, "groups/action", $$$"""{"create-from-src": {"source_group_id": "{{{source}}}"}}""", HttpStatusCode.NotFound, "3.13");
    }

    [Fact]
    public async Task Delete_BackendNotReady_ConflictAndNothingChanges()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        var id = await CreateGroupAsync(server, await CreateGroupTypeAsync(server), volumeType);
        var volume = await CreateMemberAsync(server, id, volumeType);
        await ReinitFastWithAsync(server, """{"init": "transient"}""", BackendState.Failed);

        (await ErrorAsync(server, HttpMethod.Post, $"groups/{id}/action", """{"delete": {"delete-volumes": true}}""", HttpStatusCode.Conflict, GroupVersion)).ShouldContain("node@fast");

        (await GetGroupAsync(server, $"groups/{id}")).GetProperty("group").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Create_NoBackendServesTheType_GroupInError()
    {
        await using var server = await StartAsync();
        var volumeType = await CreateVolumeTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{volumeType}/extra_specs", """{"extra_specs": {"volume_backend_name": "nowhere"}}""", HttpStatusCode.OK);

        var body = JsonSerializer.Serialize(new { group = new { name = "g", group_type = await CreateGroupTypeAsync(server), volume_types = new[] { volumeType } } });
        var id = (await CallAsync(server, HttpMethod.Post, "groups", body, HttpStatusCode.Accepted, GroupVersion)).GetProperty("group").GetProperty("id").GetString()!;

        await WaitForGroupAsync(server, $"groups/{id}", "group", "error");
    }

    private static async Task<JsonElement[]> MembersAsync(Api.TestServer server, string groupId) =>
        [.. (await GetAsync(server, "volumes/detail", GroupVersion)).GetProperty("volumes").EnumerateArray()
            .Where(v => v.GetProperty("group_id").ValueKind == JsonValueKind.String && v.GetProperty("group_id").GetString() == groupId)];
}
