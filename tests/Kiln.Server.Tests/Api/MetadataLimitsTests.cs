using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary><c>max_metadata_items</c> and Cinder's key and value sizes, on create, update and every metadata route.</summary>
public sealed class MetadataLimitsTests
{
    private const string TooMany = "Invalid metadata size: Maximum number of metadata items exceeds 3";

    private static async Task<TestServer> StartWithCapAsync(int max)
    {
        var server = await TestServer.StartAsync("fast", OneBackend, defaults: $"max_metadata_items = {max}");
        await WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        return server;
    }

    private static string Items(int count, int first = 0) =>
        JsonSerializer.Serialize(Enumerable.Range(first, count).ToDictionary(i => $"k{i}", i => $"v{i}"));

    private static async Task<Dictionary<string, string>> MetadataAsync(TestServer server, string path) =>
        (await GetAsync(server, $"{path}/metadata")).GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    [Fact]
    public async Task VolumeCreate_MoreThanTheDefault128_BadRequestAndNothingCreated()
    {
        await using var server = await StartAsync();

        var message = await ErrorAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": 1, "metadata": {{{Items(129)}}}}}""", HttpStatusCode.BadRequest);

        message.ShouldBe("Invalid metadata size: Maximum number of metadata items exceeds 128 (129 items).");
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();
        await CallAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": 1, "metadata": {{{Items(128)}}}}}""", HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task CreateAndUpdate_OverTheCap_BadRequestAndNothingChanges()
    {
        await using var server = await StartWithCapAsync(3);
        var volume = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": 1, "metadata": {{{Items(4)}}}}}""", HttpStatusCode.BadRequest)).ShouldStartWith(TooMany);
        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{volume}", $$$"""{"volume": {"metadata": {{{Items(4)}}}}}""", HttpStatusCode.BadRequest)).ShouldStartWith(TooMany);
        var snapshot = $$$"""{"snapshot": {"volume_id": "{{{volume}}}", "metadata": {{{Items(4)}}}}}""";
        (await ErrorAsync(server, HttpMethod.Post, "snapshots", snapshot, HttpStatusCode.BadRequest)).ShouldStartWith(TooMany);

        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBe([volume]);
        (await MetadataAsync(server, $"volumes/{volume}")).ShouldBeEmpty();
        (await GetAsync(server, "snapshots")).GetProperty("snapshots").EnumerateArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("volumes")]
    [InlineData("snapshots")]
    public async Task MetadataRoutes_WritesThatWouldPassTheCap_BadRequestAndUnchanged(string collection)
    {
        await using var server = await StartWithCapAsync(3);
        var volume = await CreateVolumeAsync(server);
        var path = collection == "volumes" ? $"volumes/{volume}" : $"snapshots/{await CreateSnapshotAsync(server, volume)}";
        await CallAsync(server, HttpMethod.Put, $"{path}/metadata", $$"""{"metadata": {{Items(2)}}}""", HttpStatusCode.OK);
        var before = await MetadataAsync(server, path);

        (await ErrorAsync(server, HttpMethod.Post, $"{path}/metadata", $$"""{"metadata": {{Items(2, first: 2)}}}""", HttpStatusCode.BadRequest)).ShouldBe($"{TooMany} (4 items).");
        (await ErrorAsync(server, HttpMethod.Put, $"{path}/metadata", $$"""{"metadata": {{Items(4)}}}""", HttpStatusCode.BadRequest)).ShouldStartWith(TooMany);
        await CallAsync(server, HttpMethod.Put, $"{path}/metadata/k2", """{"meta": {"k2": "v2"}}""", HttpStatusCode.OK);
        (await ErrorAsync(server, HttpMethod.Put, $"{path}/metadata/k3", """{"meta": {"k3": "v3"}}""", HttpStatusCode.BadRequest)).ShouldBe($"{TooMany} (4 items).");

        // At the cap, existing items can still change and the merge that only overwrites is accepted.
        await CallAsync(server, HttpMethod.Post, $"{path}/metadata", """{"metadata": {"k0": "new", "k1": "new"}}""", HttpStatusCode.OK);
        await CallAsync(server, HttpMethod.Put, $"{path}/metadata/k2", """{"meta": {"k2": "new"}}""", HttpStatusCode.OK);
        (await MetadataAsync(server, path)).ShouldBe(new Dictionary<string, string> { ["k0"] = "new", ["k1"] = "new", ["k2"] = "new" });
        before.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"": "v"}""", "Invalid metadata: Metadata key:  has 0 characters, less than 1.")]
    [InlineData("""{"$K256": "v"}""", "Invalid metadata size: Metadata property key $K80... greater than 255 characters.")]
    [InlineData("""{"k": "$V256"}""", "Invalid metadata size: Metadata property key k value greater than 255 characters.")]
    public async Task Metadata_KeyOrValueSize_CinderMessageOnEveryRoute(string items, string expected)
    {
        await using var server = await StartAsync();
        var volume = await CreateVolumeAsync(server);
        var key256 = new string('k', 256);
        items = items.Replace("$K256", key256, StringComparison.Ordinal).Replace("$V256", new string('v', 256), StringComparison.Ordinal);
        expected = expected.Replace("$K80", key256[..77], StringComparison.Ordinal);

        (await ErrorAsync(server, HttpMethod.Post, "volumes", $$$"""{"volume": {"size": 1, "metadata": {{{items}}}}}""", HttpStatusCode.BadRequest)).ShouldBe(expected);
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/metadata", $$"""{"metadata": {{items}}}""", HttpStatusCode.BadRequest)).ShouldBe(expected);
        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{volume}/metadata", $$"""{"metadata": {{items}}}""", HttpStatusCode.BadRequest)).ShouldBe(expected);
        (await ErrorAsync(server, HttpMethod.Put, $"volumes/{volume}", $$$"""{"volume": {"metadata": {{{items}}}}}""", HttpStatusCode.BadRequest)).ShouldBe(expected);

        (await MetadataAsync(server, $"volumes/{volume}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task MetadataBomb_HundredThousandItems_RefusedBeforeItIsRead()
    {
        await using var server = await StartAsync();
        var bomb = JsonSerializer.Serialize(new { volume = new { size = 1, metadata = Enumerable.Range(0, 100_000).ToDictionary(i => $"key-{i:D6}", _ => new string('x', 200)) } });
        bomb.Length.ShouldBeGreaterThan(21_000_000);

        // Only the start is sent: the declared length alone is refused, before Kiln reads or parses the rest.
        var response = await RawHttp.SendAsync(
            server, $"POST /v3/{Project}/volumes HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {bomb.Length}", bomb[..65_536]);

        response.Status.ShouldBe(413);
        response.Fault().ShouldBe(("overLimit", 413, "Request is too large: the body may be at most 114688 bytes."));
        Ids(await GetAsync(server, "volumes"), "volumes").ShouldBeEmpty();
    }
}
