using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Tests.Shared;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>Migration between backends: <c>os-retype</c> with <c>on-demand</c>, the admin's <c>os-migrate_volume</c>, failures and the start-up settlement.</summary>
public sealed class VolumeMigrationTests
{
    // A second fault backend beside VolumeApi's "fast"; its control file is $DIR/slow.json.
    private const string Slow = """
        [slow]
        volume_driver = fault
        fault_control_file = $DIR/slow.json
        """;

    [Fact]
    public async Task RetypeOnDemand_FileBackends_DataCopiedHostAndTypeChangeAndSourceDeleted()
    {
        await using var server = await TestServer.StartAsync("a,b", """
            [a]
            volume_driver = file
            volume_backend_name = a
            file_volumes_dir = $DIR/a
            [b]
            volume_driver = file
            volume_backend_name = b
            file_volumes_dir = $DIR/b
            """, prepare: dir =>
            {
                Directory.CreateDirectory(Path.Combine(dir, "a"));
                Directory.CreateDirectory(Path.Combine(dir, "b"));
            });
        await WaitForBackendAsync(server, "node@a", BackendState.Ready);
        await WaitForBackendAsync(server, "node@b", BackendState.Ready);
        await CreateTypeAsync(server, "on-a", """{"volume_backend_name": "a"}""");
        await CreateTypeAsync(server, "on-b", """{"volume_backend_name": "b"}""");
        var id = await CreateVolumeAsync(server, type: "on-a");
        var data = Encoding.ASCII.GetBytes("written before the migration");
        await WriteAtAsync(Path.Combine(server.Directory, "a", $"volume-{id}.raw"), 1 << 20, data);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("on-b", "on-demand"), HttpStatusCode.Accepted);

        var volume = await WaitForMigrationAsync(server, id);
        volume.GetProperty("migration_status").GetString().ShouldBe("success");
        volume.GetProperty("os-vol-mig-status-attr:migstat").GetString().ShouldBe("success");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("volume_type").GetString().ShouldBe("on-b");
        volume.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@b#b");
        var copied = Path.Combine(server.Directory, "b", $"volume-{id}.raw");
        (await ReadAtAsync(copied, 1 << 20, data.Length)).ShouldBe(data);
        new FileInfo(copied).Length.ShouldBe(1L << 30);

        // The source is deleted after the switch to the destination (as in Cinder): it goes soon after success.
        await Poll.UntilAsync(
            () => Task.FromResult(Directory.GetFiles(Path.Combine(server.Directory, "a")).Where(f => f.Contains(id, StringComparison.Ordinal)).ToList()),
            left => left.Count == 0,
            TimeSpan.FromSeconds(10),
            left => $"volume {id}'s source file stays on backend a: {string.Join(", ", left)}",
            TestContext.Current.CancellationToken);

        // Usable where it is now: deleting it removes the destination's file.
        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"volumes/{id}");
        File.Exists(copied).ShouldBeFalse();
    }

    [Fact]
    public async Task MigrateVolume_Admin_MovesToTheHost_MemberForbidden_BadHostsRefused()
    {
        await using var server = await VolumeApi.StartAsync("fast,slow", Slow);
        await WaitForBackendAsync(server, "node@slow", BackendState.Ready);
        var id = await CreateVolumeAsync(server);
        var from = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString();
        var to = from == "node@fast#fast" ? "node@slow" : "node@fast";

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Migrate("node@nowhere"), HttpStatusCode.BadRequest))
            .ShouldBe("Invalid host: No available service named 'node@nowhere'");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Migrate(from!), HttpStatusCode.BadRequest))
            .ShouldContain("destination host/cluster must be different than the current one");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-migrate_volume": {"host": "node@slow", "lock_volume": "maybe"}}""", HttpStatusCode.BadRequest))
            .ShouldContain("lock_volume");
        server.Token = "member";
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Migrate(to), HttpStatusCode.Forbidden);
        server.Token = null;

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Migrate(to, lockVolume: true), HttpStatusCode.Accepted);

        var volume = await WaitForMigrationAsync(server, id);
        volume.GetProperty("migration_status").GetString().ShouldBe("success");
        volume.GetProperty("os-vol-host-attr:host").GetString()!.ShouldStartWith(to + "#");
        volume.GetProperty("status").GetString().ShouldBe("available");
    }

    [Fact]
    public async Task RetypeOnDemand_DestinationFails_VolumeStaysUsableOnSourceWithMigrationError()
    {
        await using var server = await VolumeApi.StartAsync("fast,slow", Slow);
        await WaitForBackendAsync(server, "node@slow", BackendState.Ready);
        await CreateTypeAsync(server, "on-fast", """{"volume_backend_name": "fast"}""");
        await CreateTypeAsync(server, "on-slow", """{"volume_backend_name": "slow"}""");
        var id = await CreateVolumeAsync(server, type: "on-fast");
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "slow.json"), """{"ops": "fail"}""", TestContext.Current.CancellationToken);

        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("on-slow", "on-demand"), HttpStatusCode.Accepted);

        server.KilnExtensions = true;
        var volume = await WaitForMigrationAsync(server, id);
        volume.GetProperty("migration_status").GetString().ShouldBe("error");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("volume_type").GetString().ShouldBe("on-fast");
        volume.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fast#fast");
        volume.GetProperty("error_reason").GetString()!.ShouldContain("operation failure");

        // Still usable on its source: it extends there.
        await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.Accepted);
        (await WaitForStatusAsync(server, $"volumes/{id}", "volume", "available")).GetProperty("size").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task RetypeOnDemandAndMigrate_DestinationNotReadyOrSnapshots_RefusedAndUnchanged()
    {
        await using var server = await VolumeApi.StartAsync(
            "fast,slow", Slow, prepare: dir => File.WriteAllText(Path.Combine(dir, "slow.json"), """{"init": "config"}"""));
        await WaitForBackendAsync(server, "node@slow", BackendState.Unrecoverable);
        await CreateTypeAsync(server, "on-slow", """{"volume_backend_name": "slow"}""");
        var id = await CreateVolumeAsync(server);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("on-slow", "on-demand"), HttpStatusCode.Conflict)).ShouldContain("node@slow");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Migrate("node@slow"), HttpStatusCode.Conflict)).ShouldContain("node@slow");
        await CreateSnapshotAsync(server, id);
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{id}/action", Retype("on-slow", "on-demand"), HttpStatusCode.BadRequest))
            .ShouldBe("Invalid volume: Volume must not have snapshots.");

        var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
        volume.GetProperty("status").GetString().ShouldBe("available");
        volume.GetProperty("volume_type").GetString().ShouldBe("__DEFAULT__");
        volume.GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@fast#fast");
        volume.GetProperty("migration_status").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task BackendInit_MigrationCutShort_VolumeAvailableOnSourceWithMigrationError()
    {
        await using var server = await VolumeApi.StartAsync();
        var retyping = await CreateVolumeAsync(server);
        var migrating = await CreateVolumeAsync(server);
        var reset = await CreateVolumeAsync(server);

        // As a crash leaves them: claimed for a migration (retype or migrate) whose copy never finished; and one an
        // administrator reset to retyping, with no migration behind it.
        var volumes = server.Service<IVolumeRepository>();
        var token = TestContext.Current.CancellationToken;
        (await volumes.TryUpdateAsync(retyping, [VolumeStatus.Available], v => v with { Status = VolumeStatus.Retyping, MigrationStatus = MigrationStatuses.Migrating }, token)).ShouldNotBeNull();
        (await volumes.TryUpdateAsync(migrating, [VolumeStatus.Available], v => v with { Status = VolumeStatus.Maintenance, MigrationStatus = MigrationStatuses.Migrating }, token)).ShouldNotBeNull();
        (await volumes.TryUpdateAsync(reset, [VolumeStatus.Available], v => v with { Status = VolumeStatus.Retyping }, token)).ShouldNotBeNull();

        await ReinitFastWithAsync(server, "{}", BackendState.Ready);

        server.KilnExtensions = true;
        foreach (var id in (string[])[retyping, migrating])
        {
            var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
            volume.GetProperty("status").GetString().ShouldBe("available");
            volume.GetProperty("migration_status").GetString().ShouldBe("error");
            volume.GetProperty("error_reason").GetString()!.ShouldContain("Migration interrupted");
        }

        (await GetAsync(server, $"volumes/{reset}")).GetProperty("volume").GetProperty("status").GetString().ShouldBe("retyping");
    }

    /// <summary>Polls until the volume's migration status is no longer <c>migrating</c> (real-time deadline).</summary>
    private static async Task<JsonElement> WaitForMigrationAsync(TestServer server, string id)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var volume = (await GetAsync(server, $"volumes/{id}")).GetProperty("volume");
            if (volume.GetProperty("migration_status").GetString() is "success" or "error")
            {
                return volume;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"volume {id} stays migrating: {volume}");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WriteAtAsync(string path, long offset, byte[] data)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        await file.WriteAsync(data, TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> ReadAtAsync(string path, long offset, int count)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
        file.Position = offset;
        var buffer = new byte[count];
        await file.ReadExactlyAsync(buffer, TestContext.Current.CancellationToken);
        return buffer;
    }

    private static Task<JsonElement> CreateTypeAsync(TestServer server, string name, string extraSpecs) =>
        CallAsync(server, HttpMethod.Post, "types", $$$"""{"volume_type": {"name": "{{{name}}}", "extra_specs": {{{extraSpecs}}}}}""", HttpStatusCode.OK);

    private static string Retype(string type, string policy) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["os-retype"] = new { new_type = type, migration_policy = policy } });

    private static string Migrate(string host, bool lockVolume = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["os-migrate_volume"] = new { host, force_host_copy = false, lock_volume = lockVolume } });
}
