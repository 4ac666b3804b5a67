using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// A volume cloned or created from a snapshot keeps its source's type when the request names none, as
/// in Cinder (before, it got the default type); a different type is refused unless it could live on
/// the source's backend (Cinder's <c>_retype_is_possible</c>).
/// </summary>
public sealed class CopyTypeTests
{
    [Fact]
    public async Task Clone_NoTypeGiven_KeepsTheSourceType()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, "gold");
        var source = await CreateVolumeAsync(server, type: "gold");

        var clone = await CreateCopyAsync(server, new { source_volid = source });

        clone.GetProperty("volume_type").GetString().ShouldBe("gold");
    }

    [Fact]
    public async Task FromSnapshot_NoTypeGiven_KeepsTheSourceVolumesType()
    {
        await using var server = await StartAsync();
        await CreateTypeAsync(server, "gold");
        var snapshot = await CreateSnapshotAsync(server, await CreateVolumeAsync(server, type: "gold"));

        var copy = await CreateCopyAsync(server, new { snapshot_id = snapshot });

        copy.GetProperty("volume_type").GetString().ShouldBe("gold");
    }

    [Fact]
    public async Task Clone_TypeNamingAnotherBackend_RefusedInCindersWords()
    {
        await using var server = await StartAsync("fast,slow", "[slow]\nvolume_driver = fault\n");
        await WaitForBackendAsync(server, "node@slow", BackendState.Ready);
        await CreateTypeAsync(server, "on-fast", "fast");
        var other = await CreateTypeAsync(server, "on-slow", "slow");
        var source = await CreateVolumeAsync(server, type: "on-fast");

        var message = await ErrorAsync(
            server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = new { source_volid = source, volume_type = "on-slow" } }), HttpStatusCode.BadRequest);

        message.ShouldBe($"Invalid volume_type provided: {other} (requested type is not compatible; either match source volume, or omit type argument).");
    }

    [Fact]
    public async Task Clone_AnotherTypeOnTheSameBackend_AcceptedWithThatType()
    {
        await using var server = await StartAsync("fast,slow", "[slow]\nvolume_driver = fault\n");
        await WaitForBackendAsync(server, "node@slow", BackendState.Ready);
        await CreateTypeAsync(server, "gold", "fast");
        await CreateTypeAsync(server, "silver", "fast");
        var source = await CreateVolumeAsync(server, type: "gold");

        var clone = await CreateCopyAsync(server, new { source_volid = source, volume_type = "silver" });

        clone.GetProperty("volume_type").GetString().ShouldBe("silver");
    }

    private static async Task<string> CreateTypeAsync(TestServer server, string name, string? backend = null) =>
        (await CallAsync(
            server,
            HttpMethod.Post,
            "types",
            backend is null ? JsonSerializer.Serialize(new { volume_type = new { name } }) : JsonSerializer.Serialize(new { volume_type = new { name, extra_specs = new { volume_backend_name = backend } } }),
            HttpStatusCode.OK)).GetProperty("volume_type").GetProperty("id").GetString()!;

    private static async Task<JsonElement> CreateCopyAsync(TestServer server, object fields)
    {
        var created = await CallAsync(server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = fields }), HttpStatusCode.Accepted);
        return await WaitForStatusAsync(server, $"volumes/{created.GetProperty("volume").GetProperty("id").GetString()}", "volume", "available");
    }
}
