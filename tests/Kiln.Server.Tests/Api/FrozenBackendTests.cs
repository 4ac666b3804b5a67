using System.Net;
using System.Text.Json;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>A frozen backend (os-services freeze) refuses volume delete and snapshot create and delete, as Cinder's <c>assert_not_frozen</c>.</summary>
public sealed class FrozenBackendTests
{
    private const string Frozen = "Invalid input received: Modification operations are not allowed on frozen storage backends.";

    [Fact]
    public async Task DeleteAndSnapshot_BackendFrozen_BadRequestUntilThawed()
    {
        await using var server = await VolumeApi.StartAsync();
        var volume = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, volume);
        await CallAsync(server, HttpMethod.Put, "os-services/freeze", """{"host": "node@fast"}""", HttpStatusCode.OK);

        (await ErrorAsync(server, HttpMethod.Post, "snapshots", SnapshotOf(volume), HttpStatusCode.BadRequest)).ShouldBe(Frozen);
        (await ErrorAsync(server, HttpMethod.Delete, $"snapshots/{snapshot}", null, HttpStatusCode.BadRequest)).ShouldBe(Frozen);
        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.BadRequest)).ShouldBe(Frozen);
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-force_delete": {}}""", HttpStatusCode.BadRequest)).ShouldBe(Frozen);
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");

        await CallAsync(server, HttpMethod.Put, "os-services/thaw", """{"host": "node@fast"}""", HttpStatusCode.OK);

        await CallAsync(server, HttpMethod.Delete, $"snapshots/{snapshot}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"snapshots/{snapshot}");
        await CallAsync(server, HttpMethod.Delete, $"volumes/{volume}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"volumes/{volume}");
    }

    private static string SnapshotOf(string volume) => JsonSerializer.Serialize(new { snapshot = new { volume_id = volume } });
}
