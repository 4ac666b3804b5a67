using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Cinder's 3.53 volume schemas: create refuses fields it does not list, update must name a field.</summary>
public sealed class VolumeSchema353Tests
{
    [Theory]
    [InlineData("status")]
    [InlineData("user_id")]
    [InlineData("project_id")]
    [InlineData("attach_status")]
    [InlineData("bogus")]
    public async Task Create_UnlistedFieldFrom353_BadRequestBeforeIgnored(string field)
    {
        await using var server = await StartAsync();
        var body = $$$"""{"volume": {"size": 1, "{{{field}}}": "x"}}""";

        (await ErrorAsync(server, HttpMethod.Post, "volumes", body, HttpStatusCode.BadRequest, version: "3.53")).ShouldContain($"'{field}' was unexpected");
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();

        await CallAsync(server, HttpMethod.Post, "volumes", body, HttpStatusCode.Accepted, version: "3.52");
    }

    [Fact]
    public async Task Update_NoFieldFrom353_BadRequestBeforeAccepted()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server, name: "kept");

        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{id}", """{"volume": {}}""", HttpStatusCode.BadRequest, version: "3.53"))
            .ShouldContain("is not valid under any of the given schemas");
        await CallAsync(server, HttpMethod.Put, $"volumes/{id}", """{"volume": {}}""", HttpStatusCode.OK, version: "3.52");
        await CallAsync(server, HttpMethod.Put, $"volumes/{id}", """{"volume": {"description": "d"}}""", HttpStatusCode.OK, version: "3.53");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("name").GetString().ShouldBe("kept");
    }
}
