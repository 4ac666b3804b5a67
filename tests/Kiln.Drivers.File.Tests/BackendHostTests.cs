using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.File.Tests;

/// <summary>The file driver under the real lifecycle: unrecoverable causes cost exactly one attempt.</summary>
public sealed class BackendHostTests : IDisposable
{
    private readonly FileTestBed bed = new();

    public void Dispose() => bed.Dispose();

    public static TheoryData<string, string, string, string> UnrecoverableCases => new()
    {
        { "qemu-img", "file_volume_format", "vmdk", "DriverConfigurationException: [file1] file_volume_format = 'vmdk' is invalid: expected raw or qcow2" },
        { "qemu-img", "max_over_subscription_ratio", "-3", "DriverConfigurationException: [file1] max_over_subscription_ratio = '-3' is invalid" },
        { "/nonexistent/qemu-img", "file_volume_format", "raw", "DriverDependencyException: qemu-img not found" },
    };

    [Theory]
    [MemberData(nameof(UnrecoverableCases))]
    public async Task RunAsync_UnrecoverableCause_OneAttemptThenUnrecoverableWithTheReason(string qemuImg, string option, string value, string expected)
    {
        using var tools = new FileTestBed(qemuImg);
        var section = FileTestBed.Section("file1", ("file_volumes_dir", tools.VolumesDir), (option, value));
        var attempts = 0;
        var host = new BackendHost(
            "node@file1", "file1", new LifecycleOptions(), () => tools.Factory.Create(new DriverContext(section, tools.Time, NullLoggerFactory.Instance)),
            NoTransitionalResources.Instance, tools.Time, new Random(1), NullLogger.Instance);
        host.AttemptFinished += _ => Interlocked.Increment(ref attempts);
        using var stopping = new CancellationTokenSource();
        var run = host.RunAsync(stopping.Token);

        await WaitForAsync(() => host.Snapshot.State == BackendState.Unrecoverable, host);
        for (var i = 0; i < 10; i++)
        {
            tools.Time.Advance(TimeSpan.FromHours(1));
        }

        var snapshot = host.Snapshot;
        await stopping.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), FileTestBed.Token);
        attempts.ShouldBe(1);
        snapshot.State.ShouldBe(BackendState.Unrecoverable);
        snapshot.NextAttemptAt.ShouldBeNull();
        $"{snapshot.ErrorClass}: {snapshot.ErrorMessage}".ShouldStartWith(expected);
    }

    [Fact]
    public async Task RunAsync_RequiredMountMissing_FailedWithReasonThenReadyAfterMountViaProbe()
    {
        var section = FileTestBed.Section("file1", ("file_volumes_dir", bed.VolumesDir), ("file_require_mountpoint", "true"));
        var host = new BackendHost(
            "node@file1", "file1", new LifecycleOptions(), () => bed.Factory.Create(new DriverContext(section, bed.Time, NullLoggerFactory.Instance)),
            NoTransitionalResources.Instance, bed.Time, new Random(1), NullLogger.Instance);
        using var stopping = new CancellationTokenSource();
        var run = host.RunAsync(stopping.Token);
        await WaitForAsync(() => host.Snapshot.State == BackendState.Failed, host);
        host.Snapshot.ErrorMessage.ShouldBe($"file_volumes_dir {bed.VolumesDir} is not a mount point (file_require_mountpoint = true); waiting for its filesystem to be mounted");

        await Mounts.MountTmpfsAsync(bed.VolumesDir);
        var mountedAt = bed.Time.GetUtcNow();

        // One probe interval (2 s) on the fake clock, far below the 10 s backoff.
        await WaitForAsync(
            () =>
            {
                // The clock moves only while waiting: the attempt itself runs qemu-img in real time.
                if (host.Snapshot.State == BackendState.Failed)
                {
                    bed.Time.Advance(TimeSpan.FromMilliseconds(500));
                }

                return host.Snapshot.State == BackendState.Ready;
            },
            host);
        (host.Snapshot.Since - mountedAt).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2.5));
        host.Snapshot.Stats!.Pools.Single().ThinProvisioningSupport.ShouldBeTrue();
        await stopping.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), FileTestBed.Token);
    }

    private static async Task WaitForAsync(Func<bool> condition, BackendHost host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still {host.Snapshot.State}: {host.Snapshot.ErrorMessage}");
            }

            await Task.Delay(20, FileTestBed.Token);
        }
    }
}
