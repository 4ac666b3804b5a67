using System.Diagnostics;
using System.Net;
using Kiln.Core.Lifecycle;
using Kiln.Server.Hosting;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Messaging;
using Kiln.Server.Volumes;

namespace Kiln.Server.Tests.ScaleOut;

/// <summary>
/// Two API nodes (each with its own in-memory count of what it holds on a pool) over one PostgreSQL
/// database and one broker, extending volumes of one small pool at the same moment: together they never
/// accept more growth than the pool has room for, because each extend's claim checks the pool's room in the
/// database under the pool's lock, counting the extends in progress of every node. Without that check
/// each node would accept growth up to the pool's size by its own count, twice over.
/// </summary>
[Collection(RabbitBrokerGroup.Name)]
public sealed class SharedPoolExtendTests(RabbitBroker broker)
{
    private const int PoolGb = 8;
    private const int Volumes = 4; // 4 GB used; 4 extends of 2 GB each: room for exactly 2

    [Fact]
    public async Task TwoApiNodes_ConcurrentExtendsOnASmallPool_NeverAcceptMoreThanItHolds()
    {
        var server = await Persistence.PostgreSqlServer.GetAsync();
        var config = $"[database]\nconnection = {server.Url(await server.CreateDatabaseAsync())}\n\n" + VolumeApi.OneBackend + $"\nfault_capacity_gb = {PoolGb}\n";
        var defaults = $"transport_url = {broker.TransportUrl}";
        await using var first = await TestServer.StartAsync("fast", config, defaults: defaults);
        await VolumeApi.WaitForBackendAsync(first, "node@fast", BackendState.Ready);
        await using var second = await TestServer.StartAsync("fast", config, defaults: defaults, roles: KilnRoles.Api | KilnRoles.Scheduler);

        // The second node has no backend: it checks extends against the pool the first stored in its service record.
        var states = second.Service<IBackendStates>();
        var started = Stopwatch.GetTimestamp();
        while (states.Find("node@fast") is not { State: BackendState.Ready, Stats: not null })
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "the second node sees the pool");
            second.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var ids = new List<string>();
        for (var i = 0; i < Volumes; i++)
        {
            ids.Add(await VolumeApi.CreateVolumeAsync(first, size: 1));
        }

        var answers = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            using var response = await VolumeApi.SendAsync(i % 2 == 0 ? first : second, HttpMethod.Post, $"volumes/{id}/action", """{"os-extend": {"new_size": 3}}""");
            return (Id: id, response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        var accepted = answers.Where(a => a.StatusCode == HttpStatusCode.Accepted).Select(a => a.Id).ToList();
        var details = string.Join("\n", answers.Select(a => $"{a.Id}: {(int)a.StatusCode} {a.Body}"));
        accepted.Count.ShouldBe((PoolGb - Volumes) / 2, details);
        answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ShouldAllBe(a => a.StatusCode == HttpStatusCode.BadRequest && a.Body.Contains("No valid backend was found"), details);

        // The accepted extends are carried out; the refused volumes stay available at their size.
        foreach (var id in ids)
        {
            var volume = await VolumeApi.WaitForStatusAsync(first, $"volumes/{id}", "volume", "available");
            volume.GetProperty("size").GetInt32().ShouldBe(accepted.Contains(id) ? 3 : 1);
        }

        // The pool is full in the database: one more gigabyte is refused by either node.
        var refused = ids.First(id => !accepted.Contains(id));
        await VolumeApi.CallAsync(second, HttpMethod.Post, $"volumes/{refused}/action", """{"os-extend": {"new_size": 2}}""", HttpStatusCode.BadRequest);
    }
}
