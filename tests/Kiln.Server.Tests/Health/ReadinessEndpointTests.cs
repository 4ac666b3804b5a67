using System.Net;
using System.Text.Json;
using Kiln.Core.Lifecycle;
using Kiln.Server.Backends;
using Kiln.Server.Health;
using Kiln.Server.Messaging;
using Kiln.Server.Persistence;
using Kiln.Server.Tests.Api;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kiln.Server.Tests.Health;

/// <summary><c>/healthz/ready</c> and <c>/healthz/live</c> for each condition an orchestrator acts on.</summary>
public sealed class ReadinessEndpointTests
{
    private const string GoodAndBroken = """
        [good]
        volume_driver = fault
        fault_control_file = $DIR/good.json

        [broken]
        volume_driver = fault
        fault_control_file = $DIR/broken.json
        """;

    [Fact]
    public async Task Ready_DatabaseMessagingAndABackendOk_Is200WithEachBackendsState()
    {
        await using var server = await StartAsync(goodInit: "ok");

        var (status, body, response) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("status").GetString().ShouldBe("ready");
        body.GetProperty("database").GetString().ShouldBe("ok");
        body.GetProperty("messaging").GetString().ShouldBe("ok");
        body.GetProperty("backends").GetProperty("node@good").GetString().ShouldBe("ready");
        body.GetProperty("backends").GetProperty("node@broken").GetString().ShouldBe("unrecoverable");
        body.TryGetProperty("reason", out _).ShouldBeFalse();
        response.ShouldContain("\"backends\":{\"node@broken\":\"unrecoverable\",\"node@good\":\"ready\"}");
        response.Length.ShouldBeLessThan(200);
    }

    [Fact]
    public async Task Ready_NoBackendReadyOrDegraded_Is503NamingTheReason()
    {
        await using var server = await StartAsync(goodInit: "config");

        var (status, body, _) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("status").GetString().ShouldBe("not_ready");
        body.GetProperty("database").GetString().ShouldBe("ok");
        body.GetProperty("reason").GetString().ShouldBe("no backend is ready or degraded");
        body.GetProperty("backends").GetProperty("node@good").GetString().ShouldBe("unrecoverable");
    }

    [Fact]
    public async Task Ready_NoBackendReadyButNotRequired_Is200()
    {
        await using var server = await StartAsync(goodInit: "config", defaults: "ready_requires_backend = false");

        var (status, body, _) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("backends").GetProperty("node@good").GetString().ShouldBe("unrecoverable");
    }

    [Fact]
    public async Task Ready_BackendRecovers_TurnsFrom503To200()
    {
        await using var server = await TestServer.StartAsync("flaky", """
            [flaky]
            volume_driver = fault
            fault_control_file = $DIR/flaky.json
            """, dir => File.WriteAllText(Path.Combine(dir, "flaky.json"), $$"""{"ready_file": "{{dir}}/up"}"""));
        var flaky = server.Service<BackendCatalog>().Find("node@flaky")!;
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Failed, "flaky fails");
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.ServiceUnavailable);

        await File.WriteAllTextAsync(Path.Combine(server.Directory, "up"), string.Empty, TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => flaky.Snapshot.State == BackendState.Ready, "flaky recovers", () => server.Time.Advance(TimeSpan.FromMilliseconds(500)));

        var (status, body, _) = await ReadyAsync(server);
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("backends").GetProperty("node@flaky").GetString().ShouldBe("ready");
    }

    [Fact]
    public async Task Ready_NoBackendsOnThisNode_Is200()
    {
        await using var server = await TestServer.StartAsync(string.Empty, string.Empty);

        var (status, body, _) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("backends").EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task Ready_DatabaseFails_Is503AndLiveStays200()
    {
        var ping = new ScriptedPing { Next = _ => Task.FromException(new InvalidOperationException("disk I/O error")) };
        await using var server = await StartAsync(goodInit: "ok", configure: s => s.Replace(ServiceDescriptor.Singleton<IDatabasePing>(ping)));

        var (status, body, _) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("database").GetString().ShouldBe("unavailable");
        body.GetProperty("reason").GetString().ShouldBe("database unavailable");
        body.GetProperty("backends").GetProperty("node@good").GetString().ShouldBe("ready");
        (await server.Client.GetStringAsync("/healthz/live", TestContext.Current.CancellationToken)).ShouldBe("ok\n");
    }

    [Fact]
    public async Task Ready_DatabaseHangs_Is503TimeoutAfterTwoSeconds()
    {
        var entered = new TaskCompletionSource();
        var ping = new ScriptedPing
        {
            Next = async ct =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        await using var server = await StartAsync(goodInit: "ok", configure: s => s.Replace(ServiceDescriptor.Singleton<IDatabasePing>(ping)));

        var request = ReadyAsync(server);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        request.IsCompleted.ShouldBeFalse();
        server.Time.Advance(DatabaseCheck.QueryTimeout);
        var (status, body, _) = await request;

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("database").GetString().ShouldBe("timeout");
    }

    [Fact]
    public async Task Ready_MessagingUnusable_Is503()
    {
        await using var server = await StartAsync(goodInit: "ok", configure: s => s.Replace(ServiceDescriptor.Singleton<IMessageBus>(sp =>
            new UnusableBus(ActivatorUtilities.CreateInstance<InProcessMessageBus>(sp)))));

        var (status, body, _) = await ReadyAsync(server);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("messaging").GetString().ShouldBe("unavailable");
        body.GetProperty("reason").GetString().ShouldBe("messaging unavailable");
    }

    [Fact]
    public async Task Ready_BurstOfProbes_QueriesTheDatabaseOncePerSecond()
    {
        var ping = new ScriptedPing();
        await using var server = await StartAsync(goodInit: "ok", configure: s => s.Replace(ServiceDescriptor.Singleton<IDatabasePing>(ping)));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReadyAsync(server)));
        ping.Calls.ShouldBe(1);
        server.Time.Advance(TimeSpan.FromMilliseconds(999));
        await ReadyAsync(server);
        ping.Calls.ShouldBe(1);

        server.Time.Advance(TimeSpan.FromMilliseconds(1));
        await ReadyAsync(server);
        ping.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task Ready_DatabaseComesBack_IsReadyAgainAfterTheCache()
    {
        var ping = new ScriptedPing { Next = _ => Task.FromException(new InvalidOperationException("gone")) };
        await using var server = await StartAsync(goodInit: "ok", configure: s => s.Replace(ServiceDescriptor.Singleton<IDatabasePing>(ping)));
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.ServiceUnavailable);

        ping.Next = _ => Task.CompletedTask;
        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.ServiceUnavailable, "cached for 1 s");
        server.Time.Advance(DatabaseCheck.CacheFor);

        (await ReadyAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_Response_IsNeverCached()
    {
        await using var server = await StartAsync(goodInit: "ok");

        using var response = await server.Client.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);

        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    private static async Task<TestServer> StartAsync(string goodInit, string defaults = "", Action<IServiceCollection>? configure = null)
    {
        var server = await TestServer.StartAsync("good, broken", GoodAndBroken, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "good.json"), $$"""{"init": "{{goodInit}}"}""");
            File.WriteAllText(Path.Combine(dir, "broken.json"), """{"init": "config"}""");
        }, defaults, configure);
        var catalog = server.Service<BackendCatalog>();
        await Wait.UntilAsync(() => catalog.Hosts.All(h => h.Snapshot.State != BackendState.Initializing), "the backends settle");
        return server;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> ReadyAsync(TestServer server)
    {
        using var response = await server.Client.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private sealed class ScriptedPing : IDatabasePing
    {
        private int calls;

        public Func<CancellationToken, Task> Next { get; set; } = _ => Task.CompletedTask;

        public int Calls => Volatile.Read(ref calls);

        public Task PingAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Next(cancellationToken);
        }
    }

    private sealed class UnusableBus(IMessageBus inner) : IMessageBus
    {
        public bool IsDurable => inner.IsDurable;

        public bool IsUsable => false;

        public ValueTask SendAsync(string queue, KilnMessage message, CancellationToken cancellationToken) => inner.SendAsync(queue, message, cancellationToken);

        public IAsyncDisposable Subscribe(string queue, Func<MessageDelivery, CancellationToken, Task> handler, int concurrency) =>
            inner.Subscribe(queue, handler, concurrency);
    }
}
