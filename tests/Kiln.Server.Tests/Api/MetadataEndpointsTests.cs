using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class MetadataEndpointsTests
{
    [Theory]
    [InlineData("volumes")]
    [InlineData("snapshots")]
    public async Task Metadata_CreateReplaceDeleteItem_EachAnswerIsWhatIsStored(string collection)
    {
        await using var server = await StartAsync();
        var id = await CreateAsync(server, collection);
        var path = $"{collection}/{id}/metadata";

        var created = await CallAsync(server, HttpMethod.Post, path, """{"metadata": {"a": "1", "b": "2"}}""", HttpStatusCode.OK);
        var merged = await CallAsync(server, HttpMethod.Post, path, """{"metadata": {"b": "3", "c": "4"}}""", HttpStatusCode.OK);
        var replaced = await CallAsync(server, HttpMethod.Put, path, """{"metadata": {"c": "5", "d": "6"}}""", HttpStatusCode.OK);
        await CallAsync(server, HttpMethod.Delete, $"{path}/c", null, HttpStatusCode.OK);

        Map(created).ShouldBe(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Map(merged).ShouldBe(new Dictionary<string, string> { ["a"] = "1", ["b"] = "3", ["c"] = "4" });
        Map(replaced).ShouldBe(new Dictionary<string, string> { ["c"] = "5", ["d"] = "6" });
        Map(await GetAsync(server, path)).ShouldBe(new Dictionary<string, string> { ["d"] = "6" });
        var resource = (await GetAsync(server, $"{collection}/{id}")).GetProperty(collection.TrimEnd('s'));
        resource.GetProperty("metadata").GetProperty("d").GetString().ShouldBe("6");
    }

    [Theory]
    [InlineData("volumes")]
    [InlineData("snapshots")]
    public async Task MetadataItem_SetThenShow_AnswersTheOneItem(string collection)
    {
        await using var server = await StartAsync();
        var id = await CreateAsync(server, collection);
        await CallAsync(server, HttpMethod.Put, $"{collection}/{id}/metadata", """{"metadata": {"a": "1", "b": "2"}}""", HttpStatusCode.OK);

        var set = await CallAsync(server, HttpMethod.Put, $"{collection}/{id}/metadata/b", """{"meta": {"b": "new"}}""", HttpStatusCode.OK);
        var shown = await GetAsync(server, $"{collection}/{id}/metadata/b");

        set.GetRawText().ShouldBe("""{"meta":{"b":"new"}}""");
        shown.GetRawText().ShouldBe("""{"meta":{"b":"new"}}""");
        Map(await GetAsync(server, $"{collection}/{id}/metadata")).ShouldBe(new Dictionary<string, string> { ["a"] = "1", ["b"] = "new" });
    }

    [Theory]
    [InlineData("""{"meta": {"other": "x"}}""", "Request body and URI mismatch")]
    [InlineData("""{"meta": {"k": "x", "l": "y"}}""", "give exactly one")]
    [InlineData("""{"meta": {}}""", "give exactly one")]
    [InlineData("""{"meta": {"k": 1}}""", "not a string")]
    [InlineData("""{"metadata": {"k": "x"}}""", "Additional properties are not allowed")]
    public async Task MetadataItem_BadBody_BadRequestAndUnchanged(string body, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{id}/metadata/k", body, HttpStatusCode.BadRequest)).ShouldContain(message);

        Map(await GetAsync(server, $"volumes/{id}/metadata")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"metadata": {"k": 1}}""", "not a string")]
    [InlineData("""{"metadata": "k"}""", "is not of type 'object'")]
    [InlineData("""{"meta": {"k": "v"}}""", "('meta' was unexpected)")]
    [InlineData("""{}""", "'metadata' is a required property")]
    public async Task Metadata_BadBody_BadRequest(string body, string message)
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/metadata", body, HttpStatusCode.BadRequest)).ShouldContain(message);
    }

    [Theory]
    [InlineData("volumes", "Volume")]
    [InlineData("snapshots", "Snapshot")]
    public async Task MetadataItem_MissingKey_NotFoundOnShowAndDelete(string collection, string kind)
    {
        await using var server = await StartAsync();
        var id = await CreateAsync(server, collection);

        (await ErrorAsync(server, HttpMethod.Get, $"{collection}/{id}/metadata/nope", null, HttpStatusCode.NotFound)).ShouldBe($"{kind} {id} has no metadata with key nope.");
        (await ErrorAsync(server, HttpMethod.Delete, $"{collection}/{id}/metadata/nope", null, HttpStatusCode.NotFound)).ShouldBe($"{kind} {id} has no metadata with key nope.");
    }

    [Fact]
    public async Task Metadata_VolumeInMaintenance_BadRequestAndUnchanged()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/metadata", """{"metadata": {"a": "1"}}""", HttpStatusCode.OK);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-reset_status": {"status": "maintenance"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/metadata", """{"metadata": {"b": "2"}}""", HttpStatusCode.BadRequest))
            .ShouldContain("not allowed for volumes in maintenance status");
        await ErrorAsync(server, HttpMethod.Delete, $"volumes/{id}/metadata/a", null, HttpStatusCode.BadRequest);

        Map(await GetAsync(server, $"volumes/{id}/metadata")).ShouldBe(new Dictionary<string, string> { ["a"] = "1" });
    }

    [Theory]
    [InlineData("volumes")]
    [InlineData("snapshots")]
    public async Task Metadata_AnotherProjectsResource_NotFound(string collection)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server, project: "p2");
        var id = collection == "volumes" ? volume : await CreateSnapshotAsync(server, volume, project: "p2");
        server.Token = "member";

        await ErrorAsync(server, HttpMethod.Get, $"{collection}/{id}/metadata", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Post, $"{collection}/{id}/metadata", """{"metadata": {"a": "1"}}""", HttpStatusCode.NotFound);
    }

    private static async Task<string> CreateAsync(TestServer server, string collection)
    {
        var volume = await CreateVolumeAsync(server);
        return collection == "volumes" ? volume : await CreateSnapshotAsync(server, volume);
    }

    private static Dictionary<string, string> Map(JsonElement body) =>
        body.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
