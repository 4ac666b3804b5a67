using System.Diagnostics;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.Cinder.Tests;

/// <summary>The process side of the protocol, against a stand-in host that does not import Cinder.</summary>
public sealed class DriverHostProcessTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "scripted-host.py");

    [Fact]
    public async Task Call_Cancelled_ProcessKilledByPidAndLaterCallsFailRecoverably()
    {
        var registry = new DriverHostRegistry();
        await using var host = Start(registry);
        await host.CallAsync("ping", null, TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => host.CallAsync("hang", null, timeout.Token));

        await WaitGoneAsync(host.Pid);
        registry.Usage().ShouldBeEmpty();
        var later = await Should.ThrowAsync<DriverException>(() => host.CallAsync("ping", null, TestContext.Current.CancellationToken));
        later.ShouldNotBeAssignableTo<UnrecoverableDriverException>();
        later.Message.ShouldContain($"driver host process {host.Pid} was killed");
        later.DriverGone.ShouldBeTrue("the instance takes no more calls: the re-exports at initialization stop on it");
    }

    [Fact]
    public async Task Call_ProcessExits_PendingCallsFailRecoverablyNamingExitCodeAndLastLogLine()
    {
        await using var host = Start(new DriverHostRegistry());
        var hanging = host.CallAsync("hang", null, TestContext.Current.CancellationToken);

        var error = await Should.ThrowAsync<DriverException>(() => host.CallAsync("exit", null, TestContext.Current.CancellationToken));

        error.ShouldNotBeAssignableTo<UnrecoverableDriverException>();
        error.Message.ShouldContain("exited with code 7");
        error.Message.ShouldContain("about to exit");
        error.DriverGone.ShouldBeTrue();
        var pending = await Should.ThrowAsync<DriverException>(() => hanging);
        pending.Message.ShouldContain("exited with code 7");
        pending.DriverGone.ShouldBeTrue();
    }

    [Theory]
    [InlineData("configuration", typeof(DriverConfigurationException))]
    [InlineData("dependency", typeof(DriverDependencyException))]
    [InlineData("not_supported", typeof(DriverNotSupportedException))]
    [InlineData("not_implemented", typeof(NotSupportedException))]
    [InlineData("recoverable", typeof(DriverException))]
    [InlineData("something_new", typeof(DriverException))]
    public async Task Call_ErrorKind_MappedOntoKilnsTaxonomy(string kind, Type expected)
    {
        await using var host = Start(new DriverHostRegistry());

        var error = await Should.ThrowAsync<Exception>(() => host.CallAsync($"error_{kind}", null, TestContext.Current.CancellationToken));

        error.GetType().ShouldBe(expected);
        error.Message.ShouldBe($"error_{kind}: test.Error: scripted");
        (error as DriverException)?.DriverGone.ShouldBeFalse("the driver raised; its process still serves calls");
        DriverErrorClassifier.Classify(error).ShouldBe(kind is "configuration" or "dependency" or "not_supported" ? FailureKind.Unrecoverable : FailureKind.Recoverable);
    }

    [Fact]
    public async Task Usage_LiveProcess_ReportsMemoryAndCpuUnderItsBackend()
    {
        var registry = new DriverHostRegistry();
        await using var host = Start(registry);
        await host.CallAsync("ping", null, TestContext.Current.CancellationToken);

        var usage = registry.Usage().ShouldHaveSingleItem();

        usage.Backend.ShouldBe("node@test");
        usage.Pid.ShouldBe(host.Pid);
        usage.ResidentBytes.ShouldBeGreaterThan(1_000_000);
    }

    [Fact]
    public async Task Dispose_HostExitsAtEndOfInput_GoneAndUnregistered()
    {
        var registry = new DriverHostRegistry();
        var host = Start(registry);
        await host.CallAsync("ping", null, TestContext.Current.CancellationToken);

        await host.DisposeAsync();

        Directory.Exists($"/proc/{host.Pid}").ShouldBeFalse();
        registry.Usage().ShouldBeEmpty();
    }

    [Fact]
    public void Start_MissingInterpreter_DependencyError()
    {
        var error = Should.Throw<DriverDependencyException>(() => DriverHostProcess.Start("/nonexistent/python3", Script, "node@test", NullLogger.Instance, new DriverHostRegistry()));

        error.Message.ShouldContain("driver_host_python");
    }

    private static DriverHostProcess Start(DriverHostRegistry registry)
    {
        File.Exists("/usr/bin/python3").ShouldBeTrue("/usr/bin/python3 is missing: install python3 (eng/install-test-deps.sh)");
        return DriverHostProcess.Start("/usr/bin/python3", Script, "node@test", NullLogger.Instance, registry);
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var started = Stopwatch.GetTimestamp();
        while (Directory.Exists($"/proc/{pid}"))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"process {pid} is still alive");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
