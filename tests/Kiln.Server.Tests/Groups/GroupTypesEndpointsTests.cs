using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;
using static Kiln.Server.Tests.Groups.GroupApi;

namespace Kiln.Server.Tests.Groups;

public sealed class GroupTypesEndpointsTests
{
    [Fact]
    public async Task CreateUpdateShowDelete_AsTempestDoes_CinderStatusesAndFields()
    {
        await using var server = await StartAsync();

        var created = (await CallAsync(server, HttpMethod.Post, "group_types", """
            {"group_type": {"name": "gt1", "description": "d1", "group_specs": {"consistent_group_snapshot_enabled": "<is> False"}, "is_public": true}}
            """, HttpStatusCode.Accepted, "3.11")).GetProperty("group_type");
        var id = created.GetProperty("id").GetString()!;
        created.GetProperty("name").GetString().ShouldBe("gt1");
        created.GetProperty("group_specs").GetProperty("consistent_group_snapshot_enabled").GetString().ShouldBe("<is> False");

        var updated = (await CallAsync(server, HttpMethod.Put, $"group_types/{id}", """{"group_type": {"name": "gt2", "description": "d2"}}""", HttpStatusCode.OK, "3.11"))
            .GetProperty("group_type");
        updated.GetProperty("name").GetString().ShouldBe("gt2");

        var shown = (await GetAsync(server, $"group_types/{id}", "3.11")).GetProperty("group_type");
        shown.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["description", "group_specs", "id", "is_public", "name"]);
        shown.GetProperty("description").GetString().ShouldBe("d2");
        shown.GetProperty("is_public").GetBoolean().ShouldBeTrue();

        await CallAsync(server, HttpMethod.Delete, $"group_types/{id}", null, HttpStatusCode.Accepted, "3.11");
        Ids(await GetAsync(server, "group_types", "3.11"), "group_types").ShouldNotContain(id);
        (await ErrorAsync(server, HttpMethod.Get, $"group_types/{id}", null, HttpStatusCode.NotFound, "3.11")).ShouldBe($"Group type with id {id} could not be found.");
    }

    [Fact]
    public async Task List_IsPublicAndSort_AdminChoosesMembersSeePublicOnly()
    {
        await using var server = await StartAsync();
        var a = await CreateGroupTypeAsync(server, "a_type", isPublic: true);
        var b = await CreateGroupTypeAsync(server, "b_type", isPublic: false);

        Ids(await GetAsync(server, "group_types?sort=name:asc&is_public=None", "3.11"), "group_types").ShouldBe([a, b]);
        Ids(await GetAsync(server, "group_types?sort=name:desc&is_public=None", "3.11"), "group_types").ShouldBe([b, a]);
        Ids(await GetAsync(server, "group_types?is_public=False", "3.11"), "group_types").ShouldBe([b]);
        Ids(await GetAsync(server, "group_types?is_public=True", "3.11"), "group_types").ShouldBe([a]);

        server.Token = "member";
        var seen = (await GetAsync(server, "group_types?is_public=None", "3.11")).GetProperty("group_types");
        seen.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ShouldBe([a]);

        // group_specs are for administrators (group:access_group_types_specs).
        seen[0].TryGetProperty("group_specs", out _).ShouldBeFalse();
        await ErrorAsync(server, HttpMethod.Get, $"group_types/{b}", null, HttpStatusCode.NotFound, "3.11");
    }

    [Fact]
    public async Task Create_AsMember_ForbiddenAndNothingCreated()
    {
        await using var server = await StartAsync();
        server.Token = "member";

        await CallAsync(server, HttpMethod.Post, "group_types", """{"group_type": {"name": "mine"}}""", HttpStatusCode.Forbidden, "3.11");

        server.Token = null;
        (await GetAsync(server, "group_types?is_public=None", "3.11")).GetProperty("group_types").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task GroupTypes_BeforeVersion311_NotFound()
    {
        await using var server = await StartAsync();

        await ErrorAsync(server, HttpMethod.Get, "group_types", null, HttpStatusCode.NotFound, "3.10");
    }

    [Fact]
    public async Task Specs_CreateShowUpdateListDelete_AsTempestDoes()
    {
        await using var server = await StartAsync();
        var id = await CreateGroupTypeAsync(server);

        (await CallAsync(server, HttpMethod.Post, $"group_types/{id}/group_specs", """{"group_specs": {"key1": "value1", "key2": "value2"}}""", HttpStatusCode.Accepted, "3.11"))
            .GetProperty("group_specs").GetProperty("key2").GetString().ShouldBe("value2");
        await CallAsync(server, HttpMethod.Post, $"group_types/{id}/group_specs", """{"group_specs": {"key2": "value2-updated", "key3": "value3"}}""", HttpStatusCode.Accepted, "3.11");
        (await GetAsync(server, $"group_types/{id}/group_specs/key2", "3.11")).GetProperty("key2").GetString().ShouldBe("value2-updated");
        (await CallAsync(server, HttpMethod.Put, $"group_types/{id}/group_specs/key3", """{"key3": "value3-updated"}""", HttpStatusCode.OK, "3.11"))
            .GetProperty("key3").GetString().ShouldBe("value3-updated");
        (await ErrorAsync(server, HttpMethod.Put, $"group_types/{id}/group_specs/key3", """{"key1": "x"}""", HttpStatusCode.BadRequest, "3.11")).ShouldBe("Request body and URI mismatch");

        var all = (await GetAsync(server, $"group_types/{id}/group_specs", "3.11")).GetProperty("group_specs");
        all.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ShouldBe(["key1=value1", "key2=value2-updated", "key3=value3-updated"]);

        foreach (var key in new[] { "key1", "key2", "key3" })
        {
            await CallAsync(server, HttpMethod.Delete, $"group_types/{id}/group_specs/{key}", null, HttpStatusCode.Accepted, "3.11");
            (await ErrorAsync(server, HttpMethod.Get, $"group_types/{id}/group_specs/{key}", null, HttpStatusCode.NotFound, "3.11"))
                .ShouldBe($"Group Type {id} has no extra spec with key {key}.");
        }
    }

    [Fact]
    public async Task ShowDefault_NoDefaultGroupType_NotFound()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Get, "group_types/default", null, HttpStatusCode.NotFound, "3.11")).ShouldBe("Default group type can not be found.");
    }

    [Fact]
    public async Task ShowDefault_DefaultGroupTypeSet_ThatType()
    {
        await using var server = await Api.TestServer.StartAsync("fast", OneBackend, defaults: "default_group_type = standard");
        var id = await CreateGroupTypeAsync(server, "standard");

        (await GetAsync(server, "group_types/default", "3.11")).GetProperty("group_type").GetProperty("id").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task Delete_UsedByGroup_BadRequestAndKept()
    {
        await using var server = await StartAsync();
        var groupType = await CreateGroupTypeAsync(server);
        await CreateGroupAsync(server, groupType, await CreateVolumeTypeAsync(server));

        (await ErrorAsync(server, HttpMethod.Delete, $"group_types/{groupType}", null, HttpStatusCode.BadRequest, "3.11")).ShouldBe("Target group type is still in use.");
        (await GetAsync(server, $"group_types/{groupType}", "3.11")).GetProperty("group_type").GetProperty("id").GetString().ShouldBe(groupType);
    }

    [Fact]
    public async Task Create_TakenName_Conflict()
    {
        await using var server = await StartAsync();
        await CreateGroupTypeAsync(server, "twice");

        (await ErrorAsync(server, HttpMethod.Post, "group_types", """{"group_type": {"name": "twice"}}""", HttpStatusCode.Conflict, "3.11")).ShouldBe("Group Type twice already exists.");
    }
}
