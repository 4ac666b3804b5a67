using Kiln.Server.Services;

namespace Kiln.Server.Tests.Api;

public sealed class ServiceDirectoryTests
{
    [Theory]
    [InlineData(59, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    public async Task IsUp_LastHeartbeatAge_ComparedWithServiceDownTime(int ageSeconds, bool up)
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");
        var directory = server.Service<ServiceDirectory>();
        var now = server.Time.GetUtcNow();
        var record = new ServiceRecord { Binary = "x", Host = "h", Zone = "nova", CreatedAt = now.AddDays(-1), UpdatedAt = now.AddSeconds(-ageSeconds) };

        directory.IsUp(record).ShouldBe(up);
    }

    [Fact]
    public async Task Heartbeat_EveryLiveService_UpdatedAtIsNow()
    {
        await using var server = await TestServer.StartAsync("f", "[f]\nvolume_driver = fault");
        var directory = server.Service<ServiceDirectory>();
        server.Time.Advance(TimeSpan.FromSeconds(30));

        directory.Heartbeat();

        directory.All.ShouldAllBe(s => s.UpdatedAt == server.Time.GetUtcNow());
    }
}
