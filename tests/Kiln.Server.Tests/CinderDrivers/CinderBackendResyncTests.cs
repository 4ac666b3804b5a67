using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// What cinder-volume's init_host does after <c>do_setup</c>, done by Kiln at every initialization attempt with a real
/// driver host (<c>kiln_test_drivers.ResyncDriver</c>): <c>update_provider_info</c> with the backend's volumes and
/// snapshots, its provider_ids stored; <c>ensure_export</c> of each in-use volume with its stored provider fields, its
/// model update stored; an in-use volume whose re-export fails set to error while the backend still becomes ready.
/// Driven by a manual re-initialization (a fork of the zygote, cheaper than a second Kiln start).
/// </summary>
public sealed class CinderBackendResyncTests
{
    private const string Sections = """
        [resync]
        volume_driver = kiln_test_drivers.ResyncDriver
        volume_backend_name = resync
        kiln_test_dir = $DIR
        """;

    [Fact]
    public async Task Reinit_InUseVolumes_ReexportedWithStoredFields_ProviderIdsStored_FailedReexportSetsError()
    {
        var ct = TestContext.Current.CancellationToken;
        CinderHost.Prepare();
        await using var server = await TestServer.StartAsync("resync", Sections);
        var first = await CinderHost.WaitForAsync(server, "resync", s => s.State != BackendState.Initializing);
        first.State.ShouldBe(BackendState.Ready, first.ErrorText);
        var volumes = server.Service<IVolumeRepository>();
        var snapshots = server.Service<ISnapshotRepository>();

        var exported = await CreateVolumeAsync(server, size: 1);
        var broken = await CreateVolumeAsync(server, size: 1);
        var idle = await CreateVolumeAsync(server, size: 1);
        var withoutId = await CreateSnapshotAsync(server, idle);
        var withId = await CreateSnapshotAsync(server, idle);

        // A volume and a snapshot created before the driver kept provider ids (what update_provider_info is for).
        await volumes.TryUpdateAsync(exported, [VolumeStatus.Available], v => v with { ProviderId = null }, ct);
        await snapshots.TryUpdateAsync(withoutId, [SnapshotStatus.Available], s => s with { ProviderId = null }, ct);
        foreach (var id in new[] { exported, broken })
        {
            await CallAsync(server, HttpMethod.Post, $"volumes/{id}/action", $$$"""{"os-attach": {"instance_uuid": "{{{Guid.NewGuid()}}}", "mountpoint": "/dev/vdc"}}""", HttpStatusCode.Accepted);
            await WaitForStatusAsync(server, $"volumes/{id}", "volume", "in-use");
        }

        await File.WriteAllTextAsync(Path.Combine(server.Directory, "resync.broken"), broken, ct);

        await ReinitAsync(server);

        // update_provider_info got every volume and snapshot of the backend with what the database holds (the start-up's
        // call, on an empty backend, came first).
        var calls = Entries(server, "update_provider_info");
        calls.Count.ShouldBe(2);
        calls[0].GetProperty("volumes").GetArrayLength().ShouldBe(0);
        var sync = calls[1];
        var handedVolumes = sync.GetProperty("volumes").EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!);
        handedVolumes.Keys.ShouldBe([exported, broken, idle], ignoreOrder: true);
        handedVolumes[exported].GetProperty("provider_id").ValueKind.ShouldBe(JsonValueKind.Null);
        handedVolumes[idle].GetProperty("provider_id").GetString().ShouldBe($"vol-pid:{idle}");
        var handedSnapshots = sync.GetProperty("snapshots").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        handedSnapshots.Keys.ShouldBe([withoutId, withId], ignoreOrder: true);

        // Its provider_ids are stored: a volume's, and a snapshot's only where it had none (as Cinder's _sync_provider_info).
        (await volumes.FindAsync(exported, ct))!.ProviderId.ShouldBe($"upi:{exported}");
        (await volumes.FindAsync(idle, ct))!.ProviderId.ShouldBe($"vol-pid:{idle}");
        (await snapshots.FindAsync(withoutId, ct))!.ProviderId.ShouldBe($"upi:{withoutId}");
        (await snapshots.FindAsync(withId, ct))!.ProviderId.ShouldBe($"snap-pid:{withId}");

        // ensure_export of the in-use volumes only, with the stored fields and the provider_id just synced; in-use, attached.
        var reexported = Entries(server, "ensure_export").Select(e => e.GetProperty("volume")).ToList();
        reexported.Select(v => v.GetProperty("id").GetString()).ShouldBe([exported, broken], ignoreOrder: true);
        var handed = reexported.Single(v => v.GetProperty("id").GetString() == exported);
        handed.GetProperty("provider_location").GetString().ShouldBe($"vol-loc:{exported}");
        handed.GetProperty("provider_auth").GetString().ShouldBe($"CHAP vol-{exported[..8]} vol-secret");
        handed.GetProperty("provider_id").GetString().ShouldBe($"upi:{exported}");
        var status = Entries(server, "ensure_export_status").Select(e => e.GetProperty("volume")).Single(v => v.GetProperty("id").GetString() == exported);
        (status.GetProperty("status").GetString(), status.GetProperty("attach_status").GetString()).ShouldBe(("in-use", "attached"));

        // Its model update is stored; the volume stays in-use.
        var restored = (await volumes.FindAsync(exported, ct))!;
        (restored.Status, restored.ProviderLocation, restored.ProviderAuth, restored.ProviderId)
            .ShouldBe((VolumeStatus.InUse, $"ensured-loc:{exported}", $"CHAP ensured-{exported[..8]} ensured-secret", $"upi:{exported}"));

        // The volume whose re-export failed is in error with the driver's reason; the backend is ready all the same.
        var failed = (await volumes.FindAsync(broken, ct))!;
        failed.Status.ShouldBe(VolumeStatus.Error);
        failed.ErrorReason.ShouldNotBeNull().ShouldContain($"target for volume-{broken} cannot be recreated");
        (await volumes.FindAsync(idle, ct))!.Status.ShouldBe(VolumeStatus.Available);
        CinderHost.Backend(server, "resync").Snapshot.State.ShouldBe(BackendState.Ready);
    }

    // Ready before and after: only a new driver instance tells that the re-initialization has happened.
    private static async Task ReinitAsync(TestServer server)
    {
        var backend = CinderHost.Backend(server, "resync");
        var before = backend.Driver;
        await CallAsync(server, HttpMethod.Put, "os-services/reinit", """{"host": "node@resync"}""", HttpStatusCode.Accepted);
        var started = Stopwatch.GetTimestamp();
        while (backend.Snapshot.State != BackendState.Ready || ReferenceEquals(backend.Driver, before))
        {
            backend.Snapshot.State.ShouldNotBeOneOf(BackendState.Failed, BackendState.GaveUp, BackendState.Unrecoverable);
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(CinderHost.Patience, $"node@resync stays {backend.Snapshot.State} ({backend.Snapshot.ErrorText})");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static List<JsonElement> Entries(TestServer server, string call)
    {
        var path = Path.Combine(server.Directory, "resync.handed");
        return [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(e => e.GetProperty("call").GetString() == call)];
    }
}
