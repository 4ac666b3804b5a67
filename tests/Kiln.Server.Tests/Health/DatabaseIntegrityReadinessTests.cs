using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Health;
using Kiln.Server.Persistence;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Data.Sqlite;

namespace Kiln.Server.Tests.Health;

/// <summary>
/// Readiness looks past <c>SELECT 1</c>: a full disk fails every commit while reads pass, and a database
/// file deleted or replaced while Kiln runs keeps answering from the unlinked file. Both said "ok" before.
/// </summary>
public sealed class DatabaseIntegrityReadinessTests
{
    [Fact]
    public async Task Ready_DatabaseWritesFailDiskFull_Is503NamingTheReasonUntilAWriteIsCommitted()
    {
        await using var server = await StartAsync();
        var writer = server.Service<DatabaseWriter>();

        await Should.ThrowAsync<SqliteException>(writer.RunAsync(
            (_, _) => Task.FromException(new SqliteException("SQLite Error 13: 'database or disk is full'.", 13)), TestContext.Current.CancellationToken));
        var (status, body) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("database").GetString().ShouldBe("failing");
        body.GetProperty("reason").GetString().ShouldBe("database writes failing: disk full");

        await writer.RunAsync((_, _) => Task.CompletedTask, TestContext.Current.CancellationToken);
        server.Time.Advance(DatabaseCheck.CacheFor);
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_AWriteRefusedForItsContent_StaysReady()
    {
        await using var server = await StartAsync();
        var writer = server.Service<DatabaseWriter>();

        await Should.ThrowAsync<SqliteException>(writer.RunAsync(
            (_, _) => Task.FromException(new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19)), TestContext.Current.CancellationToken));

        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_DatabaseFileDeletedWhileRunning_Is503()
    {
        await using var server = await StartAsync();
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.OK);

        File.Delete(Path.Combine(server.Directory, "data", "kiln.db"));
        server.Time.Advance(DatabaseCheck.CacheFor);
        var (status, body) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("database").GetString().ShouldBe("failing");
        // A connection opened between the delete and the check (a background loop's) makes SQLite create a
        // new, empty file at the path, which is then rightly "replaced": either way the file Kiln opened is gone.
        body.GetProperty("reason").GetString().ShouldBeOneOf("database file deleted", "database file replaced");
    }

    [Fact]
    public async Task Ready_DatabaseFileReplacedWhileRunning_Is503()
    {
        await using var server = await StartAsync();
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.OK);

        // What a restore from backup does: another file at the same path, while Kiln holds the old one open.
        var path = Path.Combine(server.Directory, "data", "kiln.db");
        File.Copy(path, path + ".copy");
        File.Move(path + ".copy", path, overwrite: true);
        server.Time.Advance(DatabaseCheck.CacheFor);
        var (status, body) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("reason").GetString().ShouldBe("database file replaced");
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("replaced")]
    public async Task Writes_DatabaseFileDeletedOrReplacedWhileRunning_AreRefusedNotAnsweredIntoTheLostFile(string how)
    {
        await using var server = await StartAsync();
        var path = Path.Combine(server.Directory, "data", "kiln.db");
        if (how == "deleted")
        {
            File.Delete(path);
        }
        else
        {
            File.Copy(path, path + ".copy");
            File.Move(path + ".copy", path, overwrite: true);
        }

        var lost = await Should.ThrowAsync<DatabaseFileLostException>(
            server.Service<DatabaseWriter>().RunAsync((_, _) => Task.CompletedTask, TestContext.Current.CancellationToken));
        // After a deletion SQLite may already have made a new, empty file at the path (any new connection
        // does): then it is "replaced", and refused all the same.
        lost.How.ShouldBeOneOf(how == "deleted" ? ["deleted", "replaced"] : ["replaced"]);

        using var create = await server.Client.PostAsync(
            "/v3/admin/volumes",
            new StringContent("""{"volume": {"size": 1}}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        create.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("computeFault");
    }

    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync("good", """
            [good]
            volume_driver = fault
            fault_control_file = $DIR/good.json
            """, dir => File.WriteAllText(Path.Combine(dir, "good.json"), """{"init": "ok"}"""));
        var good = server.Service<BackendCatalog>().Find("node@good")!;
        await Wait.UntilAsync(() => good.Snapshot.State == BackendState.Ready, "the backend is ready");

        // The backend's new state is written to its service record just after it is ready: a commit
        // landing after a test's failed write would rightly clear "writes failing". Wait for quiet.
        var writer = server.Service<DatabaseWriter>();
        var commits = -1L;
        while (writer.Commits != commits)
        {
            commits = writer.Commits;
            await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        }

        return server;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(TestServer server)
    {
        using var response = await server.Client.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
