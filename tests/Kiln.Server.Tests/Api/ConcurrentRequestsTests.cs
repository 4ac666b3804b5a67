using System.Net;
using System.Text.Json;
using Kiln.Server.Tests.Persistence;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// Two requests on the same volume (or snapshot) sent at the same moment, many times over: one wins,
/// the other is refused with nothing changed, and nothing ends in an error status. Before the claims
/// were one conditional write, both were accepted (20 of 20 runs for delete and snapshot create) and
/// the loser's work failed on a resource the winner had removed.
/// </summary>
public class ConcurrentRequestsTests
{
    /// <summary>Races per test.</summary>
    protected virtual int Iterations => 50;

    // Each race leaves a volume or two behind: the default quotas (10 volumes) would stop the loop.
    private const string Unlimited = "quota_volumes = -1\nquota_snapshots = -1\nquota_gigabytes = -1";

    [Fact]
    public async Task DeleteAndSnapshotCreate_Raced_ExactlyOneWins()
    {
        await using var server = await StartUnlimitedAsync();
        for (var i = 0; i < Iterations; i++)
        {
            var volume = await CreateVolumeAsync(server);

            var (deleted, snapshot) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Delete, $"volumes/{volume}"),
                () => SendAsync(server, HttpMethod.Post, "snapshots", Json(new { snapshot = new { volume_id = volume } })));

            ExactlyOneAccepted(deleted, snapshot, $"iteration {i}");
            if (deleted.Accepted)
            {
                await WaitForGoneAsync(server, $"volumes/{volume}");
                (await SnapshotsOfAsync(server, volume)).ShouldBeEmpty();
            }
            else
            {
                await WaitForStatusAsync(server, $"snapshots/{snapshot.Id}", "snapshot", "available");
                await WaitForStatusAsync(server, $"volumes/{volume}", "volume", "available");
            }
        }
    }

    [Fact]
    public async Task DeleteAndClone_Raced_OneWinsOrBothInTurnAndTheCloneNeverFails()
    {
        await using var server = await StartUnlimitedAsync();
        for (var i = 0; i < Iterations; i++)
        {
            var volume = await CreateVolumeAsync(server);

            var (deleted, clone) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Delete, $"volumes/{volume}"),
                () => SendAsync(server, HttpMethod.Post, "volumes", Json(new { volume = new { source_volid = volume } })));

            (deleted.Accepted || clone.Accepted).ShouldBeTrue($"iteration {i}: both refused ({deleted.Body} / {clone.Body})");
            Refusal(deleted);
            Refusal(clone);
            if (clone.Accepted)
            {
                // Both may win only one after the other: the clone finished before the delete was decided.
                await WaitForStatusAsync(server, $"volumes/{clone.Id}", "volume", "available");
            }

            if (deleted.Accepted)
            {
                await WaitForGoneAsync(server, $"volumes/{volume}");
            }
            else
            {
                await WaitForStatusAsync(server, $"volumes/{volume}", "volume", "available");
            }
        }
    }

    [Fact]
    public async Task DeleteAndExtend_Raced_OneWinsOrBothInTurnAndNothingFails()
    {
        await using var server = await StartUnlimitedAsync();
        for (var i = 0; i < Iterations; i++)
        {
            var volume = await CreateVolumeAsync(server);

            var (deleted, extended) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Delete, $"volumes/{volume}"),
                () => SendAsync(server, HttpMethod.Post, $"volumes/{volume}/action", """{"os-extend": {"new_size": 2}}"""));

            (deleted.Accepted || extended.Accepted).ShouldBeTrue($"iteration {i}: both refused ({deleted.Body} / {extended.Body})");
            Refusal(deleted);
            Refusal(extended);
            if (deleted.Accepted)
            {
                await WaitForGoneAsync(server, $"volumes/{volume}");
            }
            else
            {
                (await WaitForStatusAsync(server, $"volumes/{volume}", "volume", "available")).GetProperty("size").GetInt32().ShouldBe(2);
            }
        }
    }

    [Fact]
    public async Task SnapshotDeleteAndCreateFromIt_Raced_OneWinsOrBothInTurnAndTheVolumeNeverFails()
    {
        await using var server = await StartUnlimitedAsync();
        var volume = await CreateVolumeAsync(server);
        for (var i = 0; i < Iterations; i++)
        {
            var snapshot = await CreateSnapshotAsync(server, volume);

            var (deleted, created) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Delete, $"snapshots/{snapshot}"),
                () => SendAsync(server, HttpMethod.Post, "volumes", Json(new { volume = new { snapshot_id = snapshot } })));

            (deleted.Accepted || created.Accepted).ShouldBeTrue($"iteration {i}: both refused ({deleted.Body} / {created.Body})");
            Refusal(deleted);
            Refusal(created);
            if (created.Accepted)
            {
                await WaitForStatusAsync(server, $"volumes/{created.Id}", "volume", "available");
            }

            if (deleted.Accepted)
            {
                await WaitForGoneAsync(server, $"snapshots/{snapshot}");
            }
            else
            {
                await WaitForStatusAsync(server, $"snapshots/{snapshot}", "snapshot", "available");
            }
        }
    }

    [Fact]
    public async Task TypeDeleteAndCreateWithIt_Raced_ExactlyOneWins()
    {
        await using var server = await StartUnlimitedAsync();
        for (var i = 0; i < Iterations; i++)
        {
            var type = await CreateTypeAsync(server, $"race-{i}");

            var (deleted, created) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Delete, $"types/{type}"),
                () => SendAsync(server, HttpMethod.Post, "volumes", Json(new { volume = new { size = 1, volume_type = type } })));

            // The type delete answers 202; a create refused for a type deleted under it answers 404, as for any unknown type.
            (deleted.Accepted ^ created.Accepted).ShouldBeTrue($"iteration {i}: exactly one must win ({deleted.Status} {deleted.Body} / {created.Status} {created.Body})");
            if (created.Accepted)
            {
                deleted.Body.ShouldContain("Target volume type is still in use.");
                await WaitForStatusAsync(server, $"volumes/{created.Id}", "volume", "available");
                (await GetAsync(server, $"types/{type}")).GetProperty("volume_type").GetProperty("id").GetString().ShouldBe(type);
            }
            else
            {
                created.Status.ShouldBe(HttpStatusCode.NotFound, created.Body);
            }
        }
    }

    [Fact]
    public async Task BackendNameChangeAndCreateWithTheType_Raced_TheVolumeIsWhereItsTypeSays()
    {
        await using var server = await StartUnlimitedAsync("fast,slow", "[slow]\nvolume_driver = fault\n");
        await WaitForBackendAsync(server, "node@slow", Kiln.Core.Lifecycle.BackendState.Ready);
        for (var i = 0; i < Iterations; i++)
        {
            var type = await CreateTypeAsync(server, $"race-{i}", "slow");

            var (changed, created) = await RaceAsync(
                () => SendAsync(server, HttpMethod.Post, $"types/{type}/extra_specs", """{"extra_specs": {"volume_backend_name": "fast"}}"""),
                () => SendAsync(server, HttpMethod.Post, "volumes", Json(new { volume = new { size = 1, volume_type = type } })));

            // In turn both may win (the change, then the create, placed by the new name); never a
            // change accepted while a volume of the type was already placed by the old one.
            created.Status.ShouldBe(HttpStatusCode.Accepted, created.Body);
            var volume = await WaitForStatusAsync(server, $"volumes/{created.Id}", "volume", "available");
            var host = volume.GetProperty("os-vol-host-attr:host").GetString();
            if (changed.Status == HttpStatusCode.OK)
            {
                host.ShouldNotBeNull().ShouldStartWith("node@fast", Case.Sensitive, $"iteration {i}: the type names fast, its volume is on {host}");
            }
            else
            {
                changed.Status.ShouldBe(HttpStatusCode.BadRequest, changed.Body);
                changed.Body.ShouldContain("Volume Type is currently in use.");
                host.ShouldStartWith("node@slow");
                (await GetAsync(server, $"types/{type}/extra_specs")).GetProperty("extra_specs").GetProperty("volume_backend_name").GetString().ShouldBe("slow");
            }
        }
    }

    private static async Task<string> CreateTypeAsync(TestServer server, string name, string? backend = null) =>
        (await CallAsync(
            server,
            HttpMethod.Post,
            "types",
            backend is null ? Json(new { volume_type = new { name } }) : Json(new { volume_type = new { name, extra_specs = new { volume_backend_name = backend } } }),
            HttpStatusCode.OK))
            .GetProperty("volume_type").GetProperty("id").GetString()!;

    /// <summary>The kiln.conf <c>[database]</c> section of the server; none is the embedded SQLite file.</summary>
    protected virtual Task<string> DatabaseSectionAsync() => Task.FromResult(string.Empty);

    private async Task<TestServer> StartUnlimitedAsync(string backends = "fast", string moreSections = "")
    {
        var server = await TestServer.StartAsync(backends, OneBackend + "\n\n" + moreSections + "\n\n" + await DatabaseSectionAsync(), defaults: Unlimited);
        await WaitForBackendAsync(server, "node@fast", Kiln.Core.Lifecycle.BackendState.Ready);
        return server;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static async Task<string[]> SnapshotsOfAsync(TestServer server, string volume) =>
        Ids(await GetAsync(server, $"snapshots?volume_id={volume}"), "snapshots");

    private static void ExactlyOneAccepted(Answer first, Answer second, string because)
    {
        (first.Accepted ^ second.Accepted).ShouldBeTrue($"{because}: exactly one must win ({first.Status} {first.Body} / {second.Status} {second.Body})");
        Refusal(first);
        Refusal(second);
    }

    /// <summary>
    /// A loser is refused as Cinder refuses a resource in the wrong state: 400 (or 409), or 404 when the
    /// winner had already removed it; never a 5xx.
    /// </summary>
    private static void Refusal(Answer answer)
    {
        if (!answer.Accepted)
        {
            answer.Status.ShouldBeOneOf([HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.NotFound], answer.Body);
        }
    }

    private static async Task<(Answer First, Answer Second)> RaceAsync(Func<Task<HttpResponseMessage>> first, Func<Task<HttpResponseMessage>> second)
    {
        var responses = await Race.RunAsync(2, i => i == 0 ? first() : second());
        return (await Answer.ReadAsync(responses[0]), await Answer.ReadAsync(responses[1]));
    }

    private sealed record Answer(HttpStatusCode Status, string Body, string? Id)
    {
        public bool Accepted => Status == HttpStatusCode.Accepted;

        public static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                string? id = null;
                if (response.StatusCode == HttpStatusCode.Accepted && body.Length > 0)
                {
                    var root = JsonDocument.Parse(body).RootElement;
                    foreach (var resource in root.EnumerateObject())
                    {
                        id = resource.Value.TryGetProperty("id", out var value) ? value.GetString() : null;
                    }
                }

                return new Answer(response.StatusCode, body, id);
            }
        }
    }
}

/// <summary>
/// The same races on PostgreSQL, where writes run side by side in transactions of their own (read committed)
/// and only row locks, upserts and savepoints keep one winner: SQLite's single writer hides a missing lock.
/// </summary>
public sealed class ConcurrentRequestsPostgreSqlTests : ConcurrentRequestsTests
{
    // Fewer rounds than on SQLite, for the suite's time: 20 rounds of the six races took 35 s of test time on
    // the loaded 2-core machine (load average 32). Run with more by raising this when changing a claim.
    protected override int Iterations => 10;

    protected override async Task<string> DatabaseSectionAsync()
    {
        var server = await Persistence.PostgreSqlServer.GetAsync();
        return $"[database]\nconnection = {server.Url(await server.CreateDatabaseAsync())}\n";
    }
}
