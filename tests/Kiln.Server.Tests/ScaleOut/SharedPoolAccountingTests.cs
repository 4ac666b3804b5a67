using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Messaging;
using Kiln.Server.Volumes;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// Two schedulers (two Kiln hosts, each with its own in-memory count of what it placed) over one
/// PostgreSQL database and one broker, competing for a burst of creates on one small pool: together they
/// never place more than the pool holds, because each placement is checked against what the database
/// records on the pool. Without that check each would fill the pool by its own count, twice over.
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class SharedPoolAccountingTests(RabbitBroker broker)
{
    private const int PoolGb = 4;
    private const int Creates = 9; // within the default quota of 10 volumes, with one more at the end

    [Fact]
    public async Task TwoSchedulers_BurstOnASmallPool_NeverPlaceMoreThanItHolds()
    {
        var database = await PostgreSqlServer();
        var config = database + VolumeApi.OneBackend + $"\nfault_capacity_gb = {PoolGb}\n";
        var defaults = $"transport_url = {broker.TransportUrl}";
        await using var first = await TestServer.StartAsync("fast", config, defaults: defaults);
        await VolumeApi.WaitForBackendAsync(first, "node@fast", BackendState.Ready);
        await using var second = await TestServer.StartAsync("fast", config, defaults: defaults, roles: KilnRoles.Api | KilnRoles.Scheduler);

        // The second host has no backend: it places on the pool the first one stored in its service record.
        var states = second.Service<IBackendStates>();
        var started = Stopwatch.GetTimestamp();
        while (states.Find("node@fast") is not { State: BackendState.Ready, Stats: not null })
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "the second host sees the pool");
            second.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var ids = await Task.WhenAll(Enumerable.Range(0, Creates).Select(async i =>
        {
            var created = await VolumeApi.CallAsync(i % 2 == 0 ? first : second, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
            return created.GetProperty("volume").GetProperty("id").GetString()!;
        }));

        var final = new List<JsonElement>();
        foreach (var id in ids)
        {
            final.Add(await FinalAsync(first, id));
        }

        var placed = final.Count(v => v.GetProperty("os-vol-host-attr:host").ValueKind == JsonValueKind.String);
        var available = final.Count(v => v.GetProperty("status").GetString() == "available");
        placed.ShouldBe(PoolGb, string.Join("\n", final.Select(v => $"{v.GetProperty("status")} {v.GetProperty("os-vol-host-attr:host")}")));
        available.ShouldBe(PoolGb);
        final.Where(v => v.GetProperty("status").GetString() == "error").ShouldAllBe(v => v.GetProperty("os-vol-host-attr:host").ValueKind == JsonValueKind.Null);

        // A delete gives the room back to every scheduler: the next create fits again.
        var freed = final.First(v => v.GetProperty("status").GetString() == "available").GetProperty("id").GetString()!;
        await VolumeApi.CallAsync(second, HttpMethod.Delete, $"volumes/{freed}", null, HttpStatusCode.Accepted);
        await VolumeApi.WaitForGoneAsync(first, $"volumes/{freed}");
        var again = await VolumeApi.CallAsync(second, HttpMethod.Post, "volumes", """{"volume": {"size": 1}}""", HttpStatusCode.Accepted);
        (await FinalAsync(first, again.GetProperty("volume").GetProperty("id").GetString()!)).GetProperty("status").GetString().ShouldBe("available");
    }

    private static async Task<string> PostgreSqlServer()
    {
        var server = await Persistence.PostgreSqlServer.GetAsync();
        return $"[database]\nconnection = {server.Url(await server.CreateDatabaseAsync())}\n\n";
    }

    private static async Task<JsonElement> FinalAsync(TestServer server, string id)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var volume = (await VolumeApi.GetAsync(server, $"volumes/{id}")).GetProperty("volume");
            if (volume.GetProperty("status").GetString() is "available" or "error")
            {
                return volume;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(30), $"{id} stays {volume.GetProperty("status")}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
