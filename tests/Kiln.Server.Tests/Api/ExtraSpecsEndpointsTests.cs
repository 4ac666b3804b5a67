using System.Net;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class ExtraSpecsEndpointsTests
{
    private static async Task<string> CreateTypeAsync(TestServer server, string name = "gold") =>
        (await CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}"}}""", HttpStatusCode.OK))
            .GetProperty("volume_type").GetProperty("id").GetString()!;

    private static async Task<Dictionary<string, string>> SpecsAsync(TestServer server, string typeId) =>
        (await GetAsync(server, $"types/{typeId}/extra_specs")).GetProperty("extra_specs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    [Fact]
    public async Task Set_NewSpecs_EchoedAndStored()
    {
        await using var server = await StartAsync();
        var id = await CreateTypeAsync(server);

        var body = await CallAsync(server, HttpMethod.Post, $"types/{id}/extra_specs", """{"extra_specs": {"volume_backend_name": "fast", "k": "v"}}""", HttpStatusCode.OK);

        body.GetProperty("extra_specs").GetProperty("k").GetString().ShouldBe("v");
        (await SpecsAsync(server, id)).ShouldBe(new Dictionary<string, string> { ["volume_backend_name"] = "fast", ["k"] = "v" }, ignoreOrder: true);
    }

    [Fact]
    public async Task ShowUpdateDelete_OneKey_Works()
    {
        await using var server = await StartAsync();
        var id = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{id}/extra_specs", """{"extra_specs": {"k": "v"}}""", HttpStatusCode.OK);

        (await GetAsync(server, $"types/{id}/extra_specs/k")).GetProperty("k").GetString().ShouldBe("v");
        (await CallAsync(server, HttpMethod.Put, $"types/{id}/extra_specs/k", """{"k": "w"}""", HttpStatusCode.OK)).GetProperty("k").GetString().ShouldBe("w");
        (await SpecsAsync(server, id))["k"].ShouldBe("w");
        await CallAsync(server, HttpMethod.Delete, $"types/{id}/extra_specs/k", null, HttpStatusCode.Accepted);
        (await SpecsAsync(server, id)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("POST", "", """{"extra_specs": {"k": 1}}""", "The value of 'k' is 1, not a string")]
    [InlineData("POST", "", """{"extra_specs": {"has space": "v"}}""", "Key 'has space' is invalid")]
    [InlineData("POST", "", """{"extra_specs": {"k": "VALUE256"}}""", "256 characters long, more than 255")]
    [InlineData("POST", "", """{"specs": {"k": "v"}}""", "Additional properties are not allowed ('specs' was unexpected)")]
    [InlineData("POST", "", """{"extra_specs": []}""", "is not of type 'object'")]
    [InlineData("PUT", "/k", """{"other": "v"}""", "Request body and URI mismatch")]
    [InlineData("PUT", "/k", """{"k": "v", "j": "w"}""", "exactly one extra spec")]
    [InlineData("PUT", "/k", """{"k": 5}""", "not a string")]
    public async Task Write_BadBody_BadRequestAndUnchanged(string method, string suffix, string body, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{id}/extra_specs", """{"extra_specs": {"k": "kept"}}""", HttpStatusCode.OK);

        var text = body.Replace("VALUE256", new string('v', 256), StringComparison.Ordinal);
        (await ErrorAsync(server, new HttpMethod(method), $"types/{id}/extra_specs{suffix}", text, HttpStatusCode.BadRequest)).ShouldContain(message);

        (await SpecsAsync(server, id)).ShouldBe(new Dictionary<string, string> { ["k"] = "kept" });
    }

    [Fact]
    public async Task Write_TypeInUse_BadRequestAndUnchanged()
    {
        await using var server = await StartAsync();
        var id = await CreateTypeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"types/{id}/extra_specs", """{"extra_specs": {"kiln:k": "kept"}}""", HttpStatusCode.OK);
        // A scoped key the scheduler does not match, so the volume can be placed.
        await CreateVolumeAsync(server, type: "gold");

        (await ErrorAsync(server, HttpMethod.Post, $"types/{id}/extra_specs", """{"extra_specs": {"kiln:k": "x"}}""", HttpStatusCode.BadRequest)).ShouldBe("Volume Type is currently in use.");
        (await ErrorAsync(server, HttpMethod.Put, $"types/{id}/extra_specs/kiln:k", """{"kiln:k": "x"}""", HttpStatusCode.BadRequest)).ShouldBe("Volume Type is currently in use.");
        (await ErrorAsync(server, HttpMethod.Delete, $"types/{id}/extra_specs/kiln:k", null, HttpStatusCode.BadRequest)).ShouldBe("Volume Type is currently in use.");

        (await SpecsAsync(server, id)).ShouldBe(new Dictionary<string, string> { ["kiln:k"] = "kept" });
    }

    [Fact]
    public async Task UnknownTypeOrKey_NotFound()
    {
        await using var server = await StartAsync();
        var id = await CreateTypeAsync(server);

        (await ErrorAsync(server, HttpMethod.Get, "types/nope/extra_specs", null, HttpStatusCode.NotFound)).ShouldBe("Volume type nope could not be found.");
        await ErrorAsync(server, HttpMethod.Post, "types/nope/extra_specs", """{"extra_specs": {"k": "v"}}""", HttpStatusCode.NotFound);
        (await ErrorAsync(server, HttpMethod.Get, $"types/{id}/extra_specs/missing", null, HttpStatusCode.NotFound)).ShouldBe($"Volume Type {id} has no extra specs with key missing.");
        await ErrorAsync(server, HttpMethod.Delete, $"types/{id}/extra_specs/missing", null, HttpStatusCode.NotFound);
    }
}
