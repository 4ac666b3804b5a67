using System.Net;
using System.Text.Json;
using Kiln.Server.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// The API listens before the database start-up is done: liveness, readiness and the versions answer at
/// once, every other request waits for the database and is answered when it is ready (or refused with
/// 503 when it never is).
/// </summary>
public sealed class DatabaseStartupGateTests
{
    private const string OneBackend = """
        [fast]
        volume_driver = fault
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HealthAndVersions_DatabaseStillStarting_AnswerAtOnce()
    {
        var held = new HeldStep();
        await using var server = await StartHeldAsync(held);

        (await server.Client.GetStringAsync("/healthz/live")).ShouldBe("ok\n");
        (await server.Client.GetAsync("/v3")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ready = await server.Client.GetAsync("/healthz/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("database").GetString().ShouldBe("starting");
        body.GetProperty("reason").GetString().ShouldBe("database starting");
        held.Release();
    }

    [Fact]
    public async Task ApiRequest_DatabaseStillStarting_WaitsAndIsAnsweredWhenItIsReady()
    {
        var held = new HeldStep();
        await using var server = await StartHeldAsync(held);

        var services = server.Client.GetAsync("/v3/p/os-services");

        // Requests that skip the gate are answered meanwhile, many times over; the held one is not.
        for (var i = 0; i < 20; i++)
        {
            (await server.Client.GetStringAsync("/healthz/live")).ShouldBe("ok\n");
        }

        services.IsCompleted.ShouldBeFalse();
        held.Release();
        using var response = await services.WaitAsync(Deadline);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("node@fast");
    }

    [Fact]
    public async Task ApiRequest_DatabaseStartupFails_Is503WithTheReasonAndKilnStops()
    {
        var held = new HeldStep();
        await using var server = await StartHeldAsync(held);
        var lifetime = server.Service<IHostApplicationLifetime>();
        // The failure releases the waiting requests, then asks the host to stop: the 503 may be answered first.
        var stopping = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        var services = server.Client.GetAsync("/v3/p/os-services");
        (await server.Client.GetStringAsync("/healthz/live")).ShouldBe("ok\n");
        held.Fail(new InvalidOperationException("disk on fire"));
        using var response = await services.WaitAsync(Deadline);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("serviceUnavailable");
        error.GetProperty("code").GetInt32().ShouldBe(503);
        error.GetProperty("message").GetString().ShouldBe("Kiln cannot serve: its database start-up failed (disk on fire).");
        await stopping.Task.WaitAsync(Deadline);
        server.Service<DatabaseStartup>().Failure.ShouldBeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task ApiRequest_DatabaseNeverReady_Is503AfterTheMaximumWait()
    {
        var held = new HeldStep();
        await using var server = await StartHeldAsync(held);

        var services = server.Client.GetAsync("/v3/p/os-services");

        // The request's timer starts on the server's thread; keep the fake clock moving until it fires.
        var deadline = DateTime.UtcNow + Deadline;
        while (!services.IsCompleted && DateTime.UtcNow < deadline)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        using var response = await services.WaitAsync(Deadline);
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await response.Content.ReadAsStringAsync()).ShouldContain("Kiln is starting and its database is not ready after 30 s; try again.");
        held.Release();
    }

    private static Task<TestServer> StartHeldAsync(HeldStep held) => TestServer.StartAsync(
        "fast", OneBackend, configureServices: services => services.AddSingleton<IDatabaseStartupStep>(held), waitForDatabase: false);

    /// <summary>A last start-up step that finishes only when the test says so.</summary>
    private sealed class HeldStep : IDatabaseStartupStep
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task RunAsync(CancellationToken cancellationToken) => done.Task.WaitAsync(cancellationToken);

        public void Release() => done.TrySetResult();

        public void Fail(Exception exception) => done.TrySetException(exception);
    }
}
