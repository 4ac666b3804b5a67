using System.Net;
using Kiln.Server.Types;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Projects' default volume types (3.62): the API, and the create that names no type.</summary>
public sealed class DefaultTypesEndpointsTests
{
    private const string Version = "3.62";

    private static async Task<string> CreateTypeAsync(TestServer server, string name) =>
        (await CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}"}}""", HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString()!;

    [Fact]
    public async Task SetShowListUnset_At362_AsCinder()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server, "gold");

        var set = await CallAsync(server, HttpMethod.Put, "default-types/p2", """{"default_type": {"volume_type": "gold"}}""", HttpStatusCode.OK, Version);
        set.GetRawText().ShouldBe($$$"""{"default_type":{"project_id":"p2","volume_type_id":"{{{type}}}"}}""");
        (await GetAsync(server, "default-types/p2", Version)).GetProperty("default_type").GetProperty("volume_type_id").GetString().ShouldBe(type);
        (await GetAsync(server, "default-types", Version)).GetProperty("default_types").EnumerateArray().Select(d => d.GetProperty("project_id").GetString()).ShouldBe(["p2"]);

        await CallAsync(server, HttpMethod.Delete, "default-types/p2", null, HttpStatusCode.NoContent, Version);

        (await ErrorAsync(server, HttpMethod.Get, "default-types/p2", null, HttpStatusCode.NotFound, Version)).ShouldBe("Default type for project p2 not found.");
        (await GetAsync(server, "default-types", Version)).GetProperty("default_types").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Routes_Refused_AsCinder()
    {
        await using var server = await StartAsync();

        (await ErrorAsync(server, HttpMethod.Put, "default-types/p2", """{"default_type": {"volume_type": "nope"}}""", HttpStatusCode.BadRequest, Version))
            .ShouldBe("Volume type nope could not be found.");
        (await ErrorAsync(server, HttpMethod.Put, "default-types/p2", """{"default_type": {}}""", HttpStatusCode.BadRequest, Version)).ShouldContain("'volume_type' is a required property");
        await CallAsync(server, HttpMethod.Get, "default-types", null, HttpStatusCode.NotFound, "3.61");

        server.Token = "member";
        await CallAsync(server, HttpMethod.Put, "default-types/p1", """{"default_type": {"volume_type": "__DEFAULT__"}}""", HttpStatusCode.Forbidden, Version);
        await CallAsync(server, HttpMethod.Get, "default-types", null, HttpStatusCode.Forbidden, Version);

        server.Token = null;
        (await GetAsync(server, "default-types", Version)).GetProperty("default_types").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task CreateVolume_NoTypeNamed_GetsTheProjectDefault()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server, "gold");
        await server.Service<DefaultTypeStore>().SetAsync(Project, type, TestContext.Current.CancellationToken);

        var mine = await CreateVolumeAsync(server);
        var theirs = await CreateVolumeAsync(server, project: "p2");

        (await GetAsync(server, $"volumes/{mine}")).GetProperty("volume").GetProperty("volume_type").GetString().ShouldBe("gold");
        (await GetAsync(server, $"/v3/p2/volumes/{theirs}")).GetProperty("volume").GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
    }

    [Fact]
    public async Task ShowDefault_ProjectWithADefault_ThatTypeOthersTheConfiguredOne()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server, "gold");
        await server.Service<DefaultTypeStore>().SetAsync(Project, type, TestContext.Current.CancellationToken);

        (await GetAsync(server, "types/default")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("gold");
        (await GetAsync(server, "/v3/p2/types/default")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("__DEFAULT__");
    }

    [Fact]
    public async Task DeleteType_ProjectDefault_RefusedAndKept()
    {
        await using var server = await StartAsync();
        var type = await CreateTypeAsync(server, "gold");
        await server.Service<DefaultTypeStore>().SetAsync("p2", type, TestContext.Current.CancellationToken);

        (await ErrorAsync(server, HttpMethod.Delete, $"types/{type}", null, HttpStatusCode.BadRequest))
            .ShouldBe($"The volume type {type} is a default volume type and cannot be deleted.");

        (await GetAsync(server, $"types/{type}")).GetProperty("volume_type").GetProperty("name").GetString().ShouldBe("gold");
    }
}
