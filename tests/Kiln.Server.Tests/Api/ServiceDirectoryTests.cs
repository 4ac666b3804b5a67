using Kiln.Server.Persistence;
using Kiln.Server.Services;

namespace Kiln.Server.Tests.Api;

public sealed class ServiceDirectoryTests
{
    [Theory]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public async Task IsUp_LastHeartbeatAge_ComparedWithServiceDownTime(int ageSeconds, bool up)
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");
        var directory = server.Service<ServiceDirectory>();
        var now = server.Time.GetUtcNow();
        var record = new StoredService { Binary = "x", Host = "h", Zone = "nova", CreatedAt = now.AddDays(-1), UpdatedAt = now.AddSeconds(-ageSeconds) };

        directory.IsUp(record).ShouldBe(up);
    }

    [Fact]
    public async Task HeartbeatAsync_EveryLiveService_UpdatedAtIsNowInTheDatabase()
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");
        var directory = server.Service<ServiceDirectory>();
        server.Time.SetUtcNow(server.Time.GetUtcNow() + TimeSpan.FromSeconds(5));

        await directory.HeartbeatAsync(CancellationToken.None);

        var services = await directory.ListAsync(CancellationToken.None);
        services.Select(s => s.Record.Host).Order().ShouldBe(["node", "node@f"]);
        services.ShouldAllBe(s => s.Record.UpdatedAt == server.Time.GetUtcNow() && s.Up);
    }

    [Fact]
    public async Task SetDisabledAsync_VolumeService_RememberedForTheScheduler()
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");
        var directory = server.Service<ServiceDirectory>();
        await directory.HeartbeatAsync(CancellationToken.None);

        await directory.SetDisabledAsync("node@f", StoredService.VolumeBinary, disabled: true, "maintenance", CancellationToken.None);

        directory.IsDisabled("node@f", out var reason).ShouldBeTrue();
        reason.ShouldBe("maintenance");
        await directory.SetDisabledAsync("node@f", StoredService.VolumeBinary, disabled: false, null, CancellationToken.None);
        directory.IsDisabled("node@f", out _).ShouldBeFalse();
    }
}
