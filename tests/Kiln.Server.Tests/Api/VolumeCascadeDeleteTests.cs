using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

public sealed class VolumeCascadeDeleteTests
{
    private const string LoggedBackend = """
        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json
        fault_call_log = $DIR/calls.log
        """;

    [Fact]
    public async Task Cascade_DeletesTheSnapshotsOnTheBackendBeforeTheVolume()
    {
        await using var server = await TestServer.StartAsync("fast", LoggedBackend);
        await WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        var id = await CreateVolumeAsync(server);
        var first = await CreateSnapshotAsync(server, id);
        var second = await CreateSnapshotAsync(server, id);

        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"volumes/{id}");
        await ErrorAsync(server, HttpMethod.Get, $"snapshots/{first}", null, HttpStatusCode.NotFound);
        await ErrorAsync(server, HttpMethod.Get, $"snapshots/{second}", null, HttpStatusCode.NotFound);
        var calls = (await File.ReadAllLinesAsync(Path.Combine(server.Directory, "calls.log"), TestContext.Current.CancellationToken))
            .Select(l => l.Split(' ')[1]).Where(m => m.StartsWith("delete_", StringComparison.Ordinal)).ToList();
        calls.ShouldBe(["delete_snapshot", "delete_snapshot", "delete_volume"]);
    }

    [Fact]
    public async Task Cascade_SnapshotWithAVolumeCreatedFromIt_DeletesVolumeAndSnapshotKeepsTheCopy()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        var created = await CallAsync(server, HttpMethod.Post, "volumes", JsonSerializer.Serialize(new { volume = new { snapshot_id = snapshot } }), HttpStatusCode.Accepted);
        var copy = created.GetProperty("volume").GetProperty("id").GetString()!;
        await WaitForStatusAsync(server, $"volumes/{copy}", "volume", "available");

        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.Accepted);

        await WaitForGoneAsync(server, $"volumes/{id}");
        Ids(await GetAsync(server, "snapshots"), "snapshots").ShouldBeEmpty();
        (await GetAsync(server, $"volumes/{copy}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Cascade_ASnapshotNotDeletable_BadRequestAndNothingChanges()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        var ready = await CreateSnapshotAsync(server, id);
        var busy = await CreateSnapshotAsync(server, id);
        await CallAsync(server, HttpMethod.Post, $"snapshots/{busy}/action", """{"os-reset_status": {"status": "creating"}}""", HttpStatusCode.Accepted);

        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.BadRequest)).ShouldContain("must be available or error");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"snapshots/{ready}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"snapshots/{busy}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("creating");
    }

    [Fact]
    public async Task Cascade_BackendNotReady_ConflictAndNothingChanges()
    {
        await using var server = await StartAsync();
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        await ReinitFastWithAsync(server, """{"init": "hang"}""", BackendState.Initializing);

        (await ErrorAsync(server, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.Conflict)).ShouldContain("node@fast");

        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("available");
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task Cascade_SnapshotDeleteFails_VolumeErrorDeletingAndKeptOnTheBackend()
    {
        await using var server = await TestServer.StartAsync("fast", LoggedBackend);
        await WaitForBackendAsync(server, "node@fast", BackendState.Ready);
        var id = await CreateVolumeAsync(server);
        var snapshot = await CreateSnapshotAsync(server, id);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "fast.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);

        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}?cascade=true", null, HttpStatusCode.Accepted);

        await WaitForStatusAsync(server, $"volumes/{id}", "volume", "error_deleting");
        (await GetAsync(server, $"snapshots/{snapshot}")).GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("error_deleting");
        var calls = await File.ReadAllTextAsync(Path.Combine(server.Directory, "calls.log"), TestContext.Current.CancellationToken);
        calls.ShouldNotContain("delete_volume");
    }
}
