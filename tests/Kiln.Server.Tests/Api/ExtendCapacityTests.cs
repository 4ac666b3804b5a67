using System.Net;
using Kiln.Core.Lifecycle;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// An extend passes the capacity check a create passes (Cinder sends extends through the scheduler's
/// capacity filter), on the volume's own pool, and what it takes counts until the next stats. Before,
/// os-extend to 10,000 GB on a 252 GB filesystem was accepted. The fake clock never advances here.
/// </summary>
public sealed class ExtendCapacityTests
{
    private const string SmallPool = """
        [small]
        volume_driver = fault
        fault_capacity_gb = 10
        """;

    [Fact]
    public async Task Extend_BeyondThePoolsFreeSpace_RefusedAndTheVolumeUnchanged()
    {
        await using var server = await TestServer.StartAsync("small", SmallPool);
        await WaitForBackendAsync(server, "node@small", BackendState.Ready);
        var volume = await CreateVolumeAsync(server, 1);

        var message = await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 10000}}""", HttpStatusCode.BadRequest);

        message.ShouldStartWith("No valid backend was found.");
        message.ShouldContain($"Cannot extend volume {volume} by 9999 GB on node@small#small: insufficient free capacity: needs 9999 GB, 9 GB free");
        var shown = (await GetAsync(server, $"volumes/{volume}")).GetProperty("volume");
        shown.GetProperty("status").GetString().ShouldBe("available");
        shown.GetProperty("size").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Extend_WithinFreeSpace_AcceptedAndCountedAgainstThePoolUntilFreshStats()
    {
        await using var server = await TestServer.StartAsync("small", SmallPool);
        await WaitForBackendAsync(server, "node@small", BackendState.Ready);
        server.KilnExtensions = true;
        var volume = await CreateVolumeAsync(server, 2);

        await CallAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 9}}""", HttpStatusCode.Accepted);
        await WaitForStatusAsync(server, $"volumes/{volume}", "volume", "available");

        // 10 GB, 2 placed and 7 grown: 1 GB left until the backend reports again.
        var created = await CallAsync(server, HttpMethod.Post, "volumes", """{"volume": {"size": 2}}""", HttpStatusCode.Accepted);
        var refused = await WaitForStatusAsync(server, $"/v3/{Project}/volumes/{created.GetProperty("volume").GetProperty("id").GetString()}", "volume", "error");
        refused.ToString().ShouldContain("insufficient free capacity: needs 2 GB, 1 GB free");
        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 11}}""", HttpStatusCode.BadRequest))
            .ShouldContain("needs 2 GB, 1 GB free");
    }

    [Theory]
    [InlineData(1, "Invalid input received: New size for extend must be greater than current size (2 GB); 1 GB was requested.")]
    [InlineData(2_000_000, "Invalid input received: New size for extend must be at most 1048576 GB; 2000000 GB was requested.")]
    public async Task Extend_SizeOutOfRange_OneSentenceNamingBothSizes(int newSize, string expected)
    {
        await using var server = await VolumeApi.StartAsync();
        var volume = await CreateVolumeAsync(server, 2);

        (await ErrorAsync(server, HttpMethod.Post, $"volumes/{volume}/action", $$$"""{"os-extend": {"new_size": {{{newSize}}}}}""", HttpStatusCode.BadRequest)).ShouldBe(expected);
    }
}
