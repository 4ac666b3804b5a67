using System.Diagnostics;
using System.Net;

namespace Kiln.EndToEnd.Tests;

/// <summary>The real <c>kiln serve</c> with file backends: a late mount and unrecoverable options, over HTTP.</summary>
public sealed class FileBackendProcessTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-e2e-file-");
    private readonly string host = "e2e-node";

    public void Dispose()
    {
        var mount = Path.Combine(dir.FullName, "mnt");
        if (File.ReadAllText("/proc/self/mounts").Contains($" {mount} ", StringComparison.Ordinal))
        {
            using var umount = Process.Start("umount", mount);
            umount.WaitForExit();
        }

        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Serve_RequiredMountAppearsLate_FailedWithReasonThenReadyWithinFiveSecondsAndCreatesVolumes()
    {
        var mount = Path.Combine(dir.FullName, "mnt");
        Directory.CreateDirectory(mount);
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {host}
            state_path = {dir.FullName}/data
            enabled_backends = late, broken

            [late]
            volume_driver = file
            file_volumes_dir = {mount}
            file_require_mountpoint = true

            [broken]
            volume_driver = file
            file_volumes_dir = {dir.FullName}
            file_volume_format = vmdk
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));

        await client.WaitForStateAsync($"{host}@late", "failed", TimeSpan.FromSeconds(10));
        await client.WaitForStateAsync($"{host}@broken", "unrecoverable", TimeSpan.FromSeconds(10));
        var late = await client.BackendAsync($"{host}@late");
        late.GetProperty("driver_error").GetString().ShouldBe(
            $"DriverException: file_volumes_dir {mount} is not a mount point (file_require_mountpoint = true); waiting for its filesystem to be mounted");
        var broken = await client.BackendAsync($"{host}@broken");
        broken.GetProperty("driver_error").GetString().ShouldBe(
            "DriverConfigurationException: [broken] file_volume_format = 'vmdk' is invalid: expected raw or qcow2");

        using (var mounting = Process.Start("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", mount]))
        {
            await mounting.WaitForExitAsync();
            mounting.ExitCode.ShouldBe(0);
        }

        var took = await client.WaitForStateAsync($"{host}@late", "ready", TimeSpan.FromSeconds(5));
        took.ShouldBeLessThan(TimeSpan.FromSeconds(5));

        // 64 MiB reports as 0.06 GB; with the default ratio 20 a thin pool promises up to 1.2 GB.
        var volumes = new VolumeApi(client.Http);
        var (status, id) = await volumes.CreateAsync(1);
        status.ShouldBe(HttpStatusCode.Accepted);
        await WaitSettledAsync(volumes, id!, "available");
        var file = new FileInfo(Path.Combine(mount, $"volume-{id}.raw"));
        file.Exists.ShouldBeTrue();
        file.Length.ShouldBe(1L << 30);

        // The next gigabyte does not fit (the scheduler counts its own placement against the 0.06 GB free
        // until the next stats); the refusal names the pool and no file appears.
        var (secondStatus, second) = await volumes.CreateAsync(1);
        secondStatus.ShouldBe(HttpStatusCode.Accepted);
        var refused = await WaitSettledAsync(volumes, second!, "error");
        var reason = refused.GetProperty("error_reason").GetString()!;
        reason.Contains($"{host}@late#late: insufficient free capacity", StringComparison.Ordinal).ShouldBeTrue(reason);
        File.Exists(Path.Combine(mount, $"volume-{second}.raw")).ShouldBeFalse();
        (await client.StateAsync($"{host}@broken")).ShouldBe("unrecoverable");

        (await kiln.TerminateAsync(TimeSpan.FromSeconds(10))).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        kiln.Output.Split('\n').Count(line => line.Contains($"{host}@broken", StringComparison.Ordinal) && line.Contains("initializing -> unrecoverable", StringComparison.Ordinal)).ShouldBe(1);
    }

    private static async Task<System.Text.Json.JsonElement> WaitSettledAsync(VolumeApi volumes, string id, string expected)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var volume = await volumes.ShowAsync(id);
            var status = volume?.GetProperty("status").GetString();
            if (status is not null && !VolumeApi.Transitional.Contains(status))
            {
                status.ShouldBe(expected, $"error_reason: {volume!.Value.GetProperty("error_reason")}");
                return volume!.Value;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"volume {id} still {status}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
