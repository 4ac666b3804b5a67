using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Tests.Api;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// Kiln's half of the side-by-side with cinder-volume (eng/cinder/side-by-side.py, docs/drivers/cinder.md): the same
/// driver, eng/cinder/late_storage_driver.py, whose storage is not reachable at start. Under cinder-volume it is tried
/// four times in 7 s and never again; under Kiln (default <c>reinit_driver_count</c>) each attempt runs in a fresh
/// process on the backoff, and the one after the storage comes up makes the backend ready and serves a volume. Its own
/// server, so only this test moves the clock between attempts and the count is exact.
/// </summary>
public sealed class CinderLateStorageTests
{
    private const string Sections = """
        [late]
        volume_driver = late_storage_driver.LateStorageDriver
        volume_backend_name = late
        late_storage_dir = $DIR/late
        """;

    [Fact]
    public async Task LateStorageDriver_StorageReadyAfterTwoFailedAttempts_NextAttemptReadyAndAVolumeIsCreated()
    {
        CinderHost.Prepare();
        await using var server = await TestServer.StartAsync("late", Sections, prepare: dir =>
        {
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "late"));
            File.WriteAllText(Path.Combine(dir, "late", "ready_at"), "99999999999\n");
        });
        var late = Path.Combine(server.Directory, "late");

        // The first initialization and one re-initialization meet storage that is not there yet.
        var failed = await CinderHost.WaitForAsync(server, "late", s => (s.State == BackendState.Failed && s.ReinitAttempts == 1) || s.State is BackendState.Unrecoverable or BackendState.GaveUp or BackendState.Ready, s => s.State == BackendState.Failed);
        failed.State.ShouldBe(BackendState.Failed, failed.ErrorText);
        failed.ErrorMessage.ShouldNotBeNull().ShouldContain("storage not reachable yet");
        failed.ReinitBudget.ShouldBe(3);

        // A failed attempt's host process does not idle until the next attempt: both are gone while the clock stands still.
        var failedPids = FailedPids(late);
        failedPids.Length.ShouldBe(2);
        foreach (var pid in failedPids)
        {
            await CinderHost.WaitGoneAsync(pid);
        }

        CinderHost.Backend(server, "late").Snapshot.ReinitAttempts.ShouldBe(1);

        // The storage comes up; the next scheduled attempt finds it.
        await File.WriteAllTextAsync(Path.Combine(late, "ready_at"), "0\n", TestContext.Current.CancellationToken);
        var ready = await CinderHost.WaitForAsync(server, "late", s => s.State is BackendState.Ready or BackendState.Unrecoverable or BackendState.GaveUp, s => s.State == BackendState.Failed);
        ready.State.ShouldBe(BackendState.Ready, ready.ErrorText);

        ready.ErrorClass.ShouldBeNull();
        var attempts = File.ReadAllLines(Path.Combine(late, "attempts.log")).Where(l => l.Contains(" do_setup ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToArray();
        attempts.Select(a => a[3]).ShouldBe(["fail", "fail", "ok"]);
        attempts.Select(a => a[1]).Distinct().Count().ShouldBe(3, "each attempt runs in its own driver host process");

        var id = await CreateVolumeAsync(server);
        (await GetAsync(server, $"volumes/{id}")).GetProperty("volume").GetProperty("os-vol-host-attr:host").GetString().ShouldBe("node@late#late");
        var stored = await server.Service<IVolumeRepository>().FindAsync(id, TestContext.Current.CancellationToken);
        stored.ShouldNotBeNull().ProviderLocation.ShouldBe($"late:volume-{id}");
        File.Exists(Path.Combine(late, "volumes", $"volume-{id}")).ShouldBeTrue();
        await CallAsync(server, HttpMethod.Delete, $"volumes/{id}", null, HttpStatusCode.Accepted);
        await WaitForGoneAsync(server, $"volumes/{id}");
        File.Exists(Path.Combine(late, "volumes", $"volume-{id}")).ShouldBeFalse();
    }

    private static int[] FailedPids(string late) =>
        [.. File.ReadAllLines(Path.Combine(late, "attempts.log")).Where(l => l.EndsWith(" do_setup fail", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))];
}
