using System.Net;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary><c>os-extend</c> of an <c>in-use</c> volume (3.42): back to <c>in-use</c> at the new size, refused below 3.42 and where the pool cannot.</summary>
public sealed class VolumeExtendAttachedTests
{
    [Fact]
    public async Task Extend_InUse_From342ExtendsAndStaysInUse_Below342Refused()
    {
        await using var server = await VolumeApi.StartAsync();
        var id = await AttachedVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Extend(2), HttpStatusCode.BadRequest, version: "3.41"))
            .ShouldBe("Invalid volume: Volume status must be 'available' to extend, but it is 'in-use'.");
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("size").GetInt32().ShouldBe(1);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Extend(2), HttpStatusCode.Accepted, version: "3.42");

        var volume = await WaitForStatusAsync(server, $"volumes/{id}", "volume", "in-use");
        volume.GetProperty("size").GetInt32().ShouldBe(2);
        volume.GetProperty("attachments").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Extend_InUseOnFileBackends_RawGrowsTheFile_Qcow2Refused()
    {
        await using var server = await TestServer.StartAsync("raw,qcow", """
            [raw]
            volume_driver = file
            volume_backend_name = raw
            file_volumes_dir = $DIR/raw
            [qcow]
            volume_driver = file
            volume_backend_name = qcow
            file_volume_format = qcow2
            file_volumes_dir = $DIR/qcow
            """, prepare: dir =>
            {
                Directory.CreateDirectory(Path.Combine(dir, "raw"));
                Directory.CreateDirectory(Path.Combine(dir, "qcow"));
            });
        await WaitForBackendAsync(server, "node@raw", BackendState.Ready);
        await WaitForBackendAsync(server, "node@qcow", BackendState.Ready);
        await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "raw", "extra_specs": {"volume_backend_name": "raw"}}}""", HttpStatusCode.OK);
        await CallAsync(server, HttpMethod.Post, "types", """{"volume_type": {"name": "qcow", "extra_specs": {"volume_backend_name": "qcow"}}}""", HttpStatusCode.OK);
        var raw = await AttachedVolumeAsync(server, "raw");
        var qcow = await AttachedVolumeAsync(server, "qcow");

        await CallAsync(server, HttpMethod.Post, $"volumes/{raw}/action", Extend(2), HttpStatusCode.Accepted, version: "3.42");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{qcow}/action", Extend(2), HttpStatusCode.BadRequest, version: "3.42"))
            .ShouldContain("cannot extend attached volumes (online_extend_support False)");

        (await WaitForStatusAsync(server, $"volumes/{raw}", "volume", "in-use")).GetProperty("size").GetInt32().ShouldBe(2);
        new FileInfo(Path.Combine(server.Directory, "raw", $"volume-{raw}.raw")).Length.ShouldBe(2L << 30);
        var unchanged = (await GetAsync(server, $"volumes/{qcow}")).GetProperty("volume");
        unchanged.GetProperty("status").GetString().ShouldBe("in-use");
        unchanged.GetProperty("size").GetInt32().ShouldBe(1);
    }

    private static async Task<string> AttachedVolumeAsync(TestServer server, string? type = null)
    {
        var id = await CreateVolumeAsync(server, type: type);
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);
        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "in-use");
        return id;
    }

    private static string Extend(int size) => $$$"""{"os-extend": {"new_size": {{{size}}}}}""";
}
