using System.Net;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// Between two stats reports the scheduler counts what it placed against each pool: a thick volume
/// takes free space at once, a thin one only provisioned space (its blocks come as data is written).
/// The fake clock never advances here, so no fresh stats arrive during a test.
/// </summary>
public sealed class PlacementAccountingTests
{
    [Fact]
    public async Task ThinPool_VolumesLargerThanFreeSpace_PlacedUntilTheOverSubscriptionRatio()
    {
        await using var server = await TestServer.StartAsync("thin", """
            [thin]
            volume_driver = file
            file_volumes_dir = $DIR/volumes
            max_over_subscription_ratio = 1000
            """, prepare: dir => Directory.CreateDirectory(Path.Combine(dir, "volumes")));
        await WaitForBackendAsync(server, "node@thin", BackendState.Ready);
        var pool = (await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools")[0].GetProperty("capabilities");
        var free = pool.GetProperty("free_capacity_gb").GetDouble();

        // Each is bigger than the free space: before this accounting, the second one was refused.
        var size = (int)Math.Ceiling(free) + 1;
        var first = await CreateVolumeAsync(server, size);
        var second = await CreateVolumeAsync(server, size);

        first.ShouldNotBe(second);
    }

    [Fact]
    public async Task ThickPool_VolumesUpToTheFreeSpace_ThenRefusedBeforeTheNextStats()
    {
        await using var server = await TestServer.StartAsync("thick", """
            [thick]
            volume_driver = fault
            fault_capacity_gb = 3
            """);
        await WaitForBackendAsync(server, "node@thick", BackendState.Ready);
        server.KilnExtensions = true;

        await CreateVolumeAsync(server, 2);
        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 2}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var refused = await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{id}", "volume", "error");

        refused.ToString().ShouldContain("insufficient free capacity: needs 2 GB, 1 GB free");
    }

    [Fact]
    public async Task ThickPool_AfterFreshStats_PlacesAgainstThemNotAgainstTheFirstOnes()
    {
        await using var server = await TestServer.StartAsync("thick", """
            [thick]
            volume_driver = fault
            fault_capacity_gb = 3
            """);
        await WaitForBackendAsync(server, "node@thick", BackendState.Ready);
        server.KilnExtensions = true;
        await CreateVolumeAsync(server, 2);

        // The next stats poll reports the 2 GB as used: the scheduler must build its candidates from
        // that snapshot, not reuse the ones from the first (3 GB free).
        server.Time.Advance(TimeSpan.FromSeconds(61));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await GetAsync(server, "scheduler-stats/get_pools?detail=true")).GetProperty("pools")[0].GetProperty("capabilities").GetProperty("free_capacity_gb").GetDouble() > 1)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "fresh stats were not published");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 2}}""", HttpStatusCode.Accepted);
        var id = created.GetProperty("volume").GetProperty("id").GetString();
        var refused = await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{id}", "volume", "error");

        refused.ToString().ShouldContain("insufficient free capacity: needs 2 GB, 1 GB free");
    }
}
