using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumeRevertTests
{
    private const string Version = "3.40";

    private const string LoggedBackend = """
        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json
        fault_call_log = $DIR/calls.log
        """;

    [Fact]
    public async Task Revert_ToTheLatestSnapshot_DriverRevertsAndBothEndAvailable()
    {
        await using var server = await StartLoggedAsync();
        var id = await CreateVolumeAsync(server);
        await CreateSnapshotAsync(server, id);
        server.Time.Advance(TimeSpan.FromSeconds(1)); // "latest" is by creation time, which the fake clock holds still.
        var latest = await CreateSnapshotAsync(server, id);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(latest), HttpStatusCode.Accepted, Version);

        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        await WaitForStatusAsync(server, $"snapshots/{latest}", "snapshot", "available");
        (await CallsAsync(server)).ShouldContain("revert_to_snapshot");
    }

    [Fact]
    public async Task Revert_NotTheLatestOrBefore340OrAnotherVolumesSnapshot_RefusedAndUnchanged()
    {
        await using var server = await StartLoggedAsync();
        var id = await CreateVolumeAsync(server);
        var older = await CreateSnapshotAsync(server, id);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        await CreateSnapshotAsync(server, id);
        var other = await CreateVolumeAsync(server);
        var others = await CreateSnapshotAsync(server, other);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(older), HttpStatusCode.BadRequest, Version)).ShouldBe($"Specified snapshot {older} is not the latest one.");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(others), HttpStatusCode.BadRequest, Version)).ShouldContain("is not the latest one");
        await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(older), HttpStatusCode.NotFound, "3.39");
        await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(Guid.NewGuid().ToString()), HttpStatusCode.NotFound, Version);

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        (await CallsAsync(server)).ShouldNotContain("revert_to_snapshot");
    }

    [Fact]
    public async Task Revert_BackendNotReady_ConflictAndUnchanged()
    {
        await using var server = await VolumeApi.StartAsync();
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(snapshot), HttpStatusCode.Conflict, Version)).ShouldContain("node@fast");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Revert_DriverFails_VolumeErrorWithReasonSnapshotAvailable()
    {
        await using var server = await VolumeApi.StartAsync();
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Revert(snapshot), HttpStatusCode.Accepted, Version);

        server.KilnExtensions = true;
        var volume = await WaitForStatusAsync(server, $"volumes/{id}", "volume", "error");
        volume.GetProperty("error_reason").GetString().ShouldStartWith($"Revert to snapshot {snapshot} failed");
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task RevertCutShort_BackendInitResumesIt()
    {
        await using var server = await StartLoggedAsync();
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        var token = TestContext.Current.CancellationToken;

        // What a crash between the claim and the driver's answer leaves.
        (await server.Service<ISnapshotRepository>().TryUpdateAsync(snapshot, [SnapshotStatus.Available], s => s with { Status = SnapshotStatus.Restoring }, token)).ShouldNotBeNull();
        (await server.Service<IVolumeRepository>().TryUpdateAsync(id, [VolumeStatus.Available], v => v with { Status = VolumeStatus.Reverting }, token)).ShouldNotBeNull();
        await ReinitFastWithAsync(server, "{}", BackendState.Ready);

        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available");
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
        (await CallsAsync(server)).ShouldContain("revert_to_snapshot");
    }

    private static async Task<TestServer> StartLoggedAsync()
    {
        var server = await TestServer.StartAsync("fast", LoggedBackend);
        await WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        return server;
    }

    private static async Task<string> CallsAsync(TestServer server)
    {
        var path = Path.Combine(server.Directory, "calls.log");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken) : string.Empty;
    }

    private static string Revert(string snapshotId) => $$$"""{"revert": {"snapshot_id": "{{{snapshotId}}}"}}""";
}
