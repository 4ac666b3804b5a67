using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Backends;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Persistence;
using Kiln.Server.Tests.Telemetry;
using Kiln.Tests.Shared;

namespace Kiln.Server.Tests.Volumes;

/// <summary>
/// Volume files the database does not know (it was deleted, or restored from an old backup) are reported at
/// the backend's initialization, in the log and as <c>kiln_orphan_volume_files</c>, and never deleted.
/// </summary>
public sealed class OrphanVolumeFilesTests
{
    [Fact]
    public async Task Start_VolumeFileWithoutRecord_CountedInTheMetricAndKept()
    {
        string orphan = "";
        await using var server = await TestServer.StartAsync("files", """
            [files]
            volume_driver = file
            file_volumes_dir = $DIR/vols
            """, dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "vols"));
            orphan = Path.Combine(dir, "vols", "volume-lost.raw");
            File.WriteAllBytes(orphan, new byte[512]);
        });
        var files = server.Service<BackendCatalog>().Find("node@files")!;
        await Wait.UntilAsync(() => files.Snapshot.State == BackendState.Ready, "the backend is ready");

        var scrape = await PrometheusScrape.GetAsync(server.Client);

        scrape.Value("kiln_orphan_volume_files", "backend", "node@files").ShouldBe(1);
        File.Exists(orphan).ShouldBeTrue();
        server.Service<OrphanVolumeFiles>().ByBackend["node@files"].ShouldHaveSingleItem().ShouldBe(new StoredVolume("lost", orphan));
    }

    [Fact]
    public async Task FindAsync_KnownHereKnownElsewhereAndUnknown_OnlyTheUnknownIsAnOrphan()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await database.Volumes.AddAsync(Samples.Volume("here", host: "node@fast#pool"), ct);
        await database.Volumes.AddAsync(Samples.Volume("elsewhere", host: "node@slow#pool"), ct);
        var inventory = new Inventory([new("here", "/v/volume-here.raw"), new("elsewhere", "/v/volume-elsewhere.raw"), new("nobody", "/v/volume-nobody.raw")]);

        var orphans = await OrphanVolumeFiles.FindAsync(inventory, database.Volumes, "node@fast", ct);

        orphans.ShouldBe([new StoredVolume("nobody", "/v/volume-nobody.raw")]);
    }

    private sealed class Inventory(IReadOnlyList<StoredVolume> volumes) : IVolumeInventory
    {
        public Task<IReadOnlyList<StoredVolume>> ListVolumesAsync(CancellationToken cancellationToken) => Task.FromResult(volumes);
    }
}
