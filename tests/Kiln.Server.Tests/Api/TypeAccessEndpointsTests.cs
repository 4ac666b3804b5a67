using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Private volume types and the projects given access to them, as Tempest's VolumeTypesAccessTest uses them.</summary>
public sealed class TypeAccessEndpointsTests
{
    private static async Task<string> CreatePrivateTypeAsync(TestServer server, string name = "secret") =>
        (await CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}", "os-volume-type-access:is_public": false}}""", HttpStatusCode.OK))
            .GetProperty("volume_type").GetProperty("id").GetString()!;

    private static Task<System.Text.Json.JsonElement> AddAccessAsync(TestServer server, string typeId, string project) =>
        CallAsync(server, HttpMethod.Post, $"types/{typeId}/action", $$$"""{"addProjectAccess": {"project": "{{{project}}}"}}""", HttpStatusCode.Accepted);

    private static string CreateBody(string typeId) => $$$"""{"volume": {"size": 1, "volume_type": "{{{typeId}}}"}}""";

    [Fact]
    public async Task CreateVolume_PrivateTypeThenAccessGiven_NotFoundThenCreated()
    {
        await using var server = await StartAsync();
        var type = await CreatePrivateTypeAsync(server);
        server.Token = "member";

        (await ErrorAsync(server, HttpMethod.Post, "volumes", CreateBody(type), HttpStatusCode.NotFound)).ShouldBe($"Volume type {type} could not be found.");
        (await GetAsync(server, "volumes")).GetProperty("volumes").GetArrayLength().ShouldBe(0);

        server.Token = null;
        await AddAccessAsync(server, type, Project);
        server.Token = "member";

        var volume = (await CallAsync(server, HttpMethod.Post, "volumes", CreateBody(type), HttpStatusCode.Accepted)).GetProperty("volume");
        volume.GetProperty("volume_type").GetString().ShouldBe("secret");
    }

    [Fact]
    public async Task ShowAndList_Member_PrivateTypeOnlyWithAccess()
    {
        await using var server = await StartAsync();
        var type = await CreatePrivateTypeAsync(server);
        await CreatePrivateTypeAsync(server, "other");
        server.Token = "member";

        (await ErrorAsync(server, HttpMethod.Get, $"types/{type}", null, HttpStatusCode.NotFound)).ShouldBe($"Volume type {type} could not be found.");
        (await GetAsync(server, "types")).GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["__DEFAULT__"]);

        server.Token = null;
        await AddAccessAsync(server, type, Project);
        server.Token = "member";

        (await GetAsync(server, $"types/{type}")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("secret");
        (await GetAsync(server, "types")).GetProperty("volume_types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ShouldBe(["__DEFAULT__", "secret"]);
    }

    [Fact]
    public async Task ListAccess_TwoProjects_BothListedThenOneRemoved()
    {
        await using var server = await StartAsync();
        var type = await CreatePrivateTypeAsync(server);
        await AddAccessAsync(server, type, "p1");
        await AddAccessAsync(server, type, "p2");

        var access = (await GetAsync(server, $"types/{type}/os-volume-type-access")).GetProperty("volume_type_access").EnumerateArray().ToList();

        access.Select(a => a.GetProperty("volume_type_id").GetString()).ShouldBe([type, type]);
        access.Select(a => a.GetProperty("project_id").GetString()).Order().ShouldBe(["p1", "p2"]);
        access[0].EnumerateObject().Select(p => p.Name).Order().ShouldBe(["project_id", "volume_type_id"]);

        await CallAsync(server, HttpMethod.Post, $"types/{type}/action", """{"removeProjectAccess": {"project": "p1"}}""", HttpStatusCode.Accepted);

        (await GetAsync(server, $"types/{type}/os-volume-type-access")).GetProperty("volume_type_access").EnumerateArray()
            .Select(a => a.GetProperty("project_id").GetString()).ShouldBe(["p2"]);
    }

    [Fact]
    public async Task AccessChanges_Refused_AsCinder()
    {
        await using var server = await StartAsync();
        var type = await CreatePrivateTypeAsync(server);
        var publicType = (await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "open"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString();
        await AddAccessAsync(server, type, "p2");

        (await ErrorAsync(server, HttpMethod.Post, $"types/{type}/action", """{"addProjectAccess": {"project": "p2"}}""", HttpStatusCode.Conflict))
            .ShouldBe($"Volume type access for {type} / p2 combination already exists.");
        (await ErrorAsync(server, HttpMethod.Post, $"types/{type}/action", """{"removeProjectAccess": {"project": "p3"}}""", HttpStatusCode.NotFound))
            .ShouldBe($"Volume type access not found for {type} / p3 combination.");
        (await ErrorAsync(server, HttpMethod.Post, $"types/{publicType}/action", """{"addProjectAccess": {"project": "p2"}}""", HttpStatusCode.BadRequest))
            .ShouldBe("Invalid volume type: Type access modification is not applicable to public volume type.");
        (await ErrorAsync(server, HttpMethod.Get, $"types/{publicType}/os-volume-type-access", null, HttpStatusCode.NotFound))
            .ShouldBe("Access list not available for public volume types.");
        (await ErrorAsync(server, HttpMethod.Post, $"types/{type}/action", """{"addProjectAccess": {}}""", HttpStatusCode.BadRequest)).ShouldContain("'project' is a required property");
        (await ErrorAsync(server, HttpMethod.Post, "types/nope/action", """{"addProjectAccess": {"project": "p2"}}""", HttpStatusCode.NotFound)).ShouldBe("Volume type nope could not be found.");

        server.Token = "member";
        await CallAsync(server, HttpMethod.Post, $"types/{type}/action", """{"addProjectAccess": {"project": "p1"}}""", HttpStatusCode.Forbidden);
        await CallAsync(server, HttpMethod.Get, $"types/{type}/os-volume-type-access", null, HttpStatusCode.Forbidden);

        server.Token = null;
        (await GetAsync(server, $"types/{type}/os-volume-type-access")).GetProperty("volume_type_access").EnumerateArray()
            .Select(a => a.GetProperty("project_id").GetString()).ShouldBe(["p2"]);
    }

    [Fact]
    public async Task DeleteType_WithAccess_AccessGoesWithIt()
    {
        await using var server = await StartAsync();
        var type = await CreatePrivateTypeAsync(server);
        await AddAccessAsync(server, type, "p2");

        await CallAsync(server, HttpMethod.Delete, $"types/{type}", null, HttpStatusCode.Accepted);

        (await server.Service<Kiln.Server.Types.TypeAccessStore>().TypesOfProjectAsync("p2", TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }
}
