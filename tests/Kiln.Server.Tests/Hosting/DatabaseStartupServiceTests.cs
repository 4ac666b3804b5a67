using Kiln.Server.Services;
using Kiln.Server.Tests.Identity;
using Kiln.Server.Tests.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Hosting;

/// <summary>
/// When the host's start fails for another reason (the port is in use), it disposes its services while the
/// database start-up still runs. That start-up then met disposed services and logged a critical "Database
/// start-up failed … ObjectDisposed" beside the real error.
/// </summary>
public sealed class DatabaseStartupServiceTests
{
    [Fact]
    public async Task Dispose_WhileAStepRuns_StepMeetingDisposedServicesIsAStopNotACriticalFailure()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var step = new Step(async () =>
        {
            await gate.Task;
            throw new ObjectDisposedException("IServiceProvider");
        });
        var startup = new DatabaseStartup();
        var lifetime = new Lifetime();
        using var logs = new LogRecorder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var service = new DatabaseStartupService([step], startup, lifetime, factory.CreateLogger<DatabaseStartupService>());

        await service.StartingAsync(TestContext.Current.CancellationToken);
        service.Dispose();
        gate.SetResult();
        await Should.ThrowAsync<OperationCanceledException>(startup.WaitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));

        logs.Lines.ShouldNotContain(l => l.Level >= LogLevel.Error, string.Join("\n", logs.Lines));
        lifetime.StopRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task StepFails_WhileRunning_IsCriticalAndStopsKiln()
    {
        var startup = new DatabaseStartup();
        var lifetime = new Lifetime();
        using var logs = new LogRecorder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var service = new DatabaseStartupService(
            [new Step(() => Task.FromException(new InvalidOperationException("no such table")))], startup, lifetime, factory.CreateLogger<DatabaseStartupService>());

        await service.StartingAsync(TestContext.Current.CancellationToken);
        await Should.ThrowAsync<InvalidOperationException>(startup.WaitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));

        logs.WithId(120).ShouldHaveSingleItem().Level.ShouldBe(LogLevel.Critical);
        await Wait.UntilAsync(() => lifetime.StopRequested, "Kiln is stopped");
    }

    private sealed class Step(Func<Task> run) : IDatabaseStartupStep
    {
        public Task RunAsync(CancellationToken cancellationToken) => run();
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public bool StopRequested { get; private set; }

        public void StopApplication() => StopRequested = true;
    }
}
