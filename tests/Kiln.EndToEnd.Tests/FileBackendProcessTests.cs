using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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

        // The next gigabyte does not fit: the scheduler counts its own thin placement as provisioned until
        // the next stats, and 2 GB on a 0.06 GB pool is over the 20x over-subscription limit. The refusal
        // names the pool and no file appears.
        var (secondStatus, second) = await volumes.CreateAsync(1);
        secondStatus.ShouldBe(HttpStatusCode.Accepted);
        var refused = await WaitSettledAsync(volumes, second!, "error");
        var reason = refused.GetProperty("error_reason").GetString()!;
        reason.Contains($"{host}@late#late: over-subscription limit: provisioning 1 GB would make 2/0.06 GB, limit ratio 20.0", StringComparison.Ordinal)
            .ShouldBeTrue(reason);
        File.Exists(Path.Combine(mount, $"volume-{second}.raw")).ShouldBeFalse();
        (await client.StateAsync($"{host}@broken")).ShouldBe("unrecoverable");

        (await kiln.TerminateAsync(TimeSpan.FromSeconds(10))).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        kiln.Output.Split('\n').Count(line => line.Contains($"{host}@broken", StringComparison.Ordinal) && line.Contains("initializing -> unrecoverable", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Serve_Qcow2Backend_SnapshotCloneAtLargerSizeDeleteSnapshotOverHttp_CloneKeepsTheData()
    {
        var volumesDir = Path.Combine(dir.FullName, "qcow2");
        Directory.CreateDirectory(volumesDir);
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {host}
            state_path = {dir.FullName}/data
            enabled_backends = cow

            [cow]
            volume_driver = file
            file_volumes_dir = {volumesDir}
            file_volume_format = qcow2
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
        await client.WaitForStateAsync($"{host}@cow", "ready", TimeSpan.FromSeconds(10));
        var volumes = new VolumeApi(client.Http);
        var (_, sourceId) = await volumes.CreateAsync(1);
        await WaitSettledAsync(volumes, sourceId!, "available");
        var sourcePath = Path.Combine(volumesDir, $"volume-{sourceId}.qcow2");
        await QemuIoAsync(sourcePath, "write -P 0xab 0 1M");

        var snapshotId = await CreateSnapshotAsync(client.Http, sourceId!);
        await QemuIoAsync(sourcePath, "write -P 0xcd 0 1M");
        using (var created = await client.Http.PostAsJsonAsync("/v3/admin/volumes", new { volume = new { size = 2, snapshot_id = snapshotId } }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            var cloneId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("volume").GetProperty("id").GetString()!;
            await WaitSettledAsync(volumes, cloneId, "available");
            var clonePath = Path.Combine(volumesDir, $"volume-{cloneId}.qcow2");
            (await QemuImgInfoAsync(clonePath)).GetProperty("backing-filename").GetString().ShouldBe($"snapshot-{snapshotId}.qcow2");

            using (var deleted = await client.Http.DeleteAsync($"/v3/admin/snapshots/{snapshotId}"))
            {
                deleted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            }

            await WaitGoneAsync(client.Http, $"/v3/admin/snapshots/{snapshotId}");
            File.Exists(Path.Combine(volumesDir, $"snapshot-{snapshotId}.qcow2")).ShouldBeFalse();
            var info = await QemuImgInfoAsync(clonePath);
            info.TryGetProperty("backing-filename", out _).ShouldBeFalse("flattened before its snapshot was deleted");
            info.GetProperty("virtual-size").GetInt64().ShouldBe(2L << 30);
            await QemuIoAsync(clonePath, "read -P 0xab 0 1M");

            (await volumes.DeleteAsync(cloneId)).ShouldBe(HttpStatusCode.Accepted);
            await volumes.WaitGoneAsync(cloneId, TimeSpan.FromSeconds(10));
            File.Exists(clonePath).ShouldBeFalse();
        }
    }

    private static async Task<string> CreateSnapshotAsync(HttpClient http, string volumeId)
    {
        using var response = await http.PostAsJsonAsync("/v3/admin/snapshots", new { snapshot = new { volume_id = volumeId, name = "s" } });
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("snapshot").GetProperty("id").GetString()!;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var snapshot = (await http.GetFromJsonAsync<JsonElement>($"/v3/admin/snapshots/{id}")).GetProperty("snapshot");
            var status = snapshot.GetProperty("status").GetString();
            if (status != "creating")
            {
                status.ShouldBe("available", snapshot.ToString());
                return id;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), "snapshot still creating");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task WaitGoneAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"{path} still there: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task QemuIoAsync(string path, string command)
    {
        var output = await RunAsync("qemu-io", "-f", "qcow2", "-c", command, path);
        output.ShouldNotContain("Pattern verification failed");
    }

    private static async Task<JsonElement> QemuImgInfoAsync(string path) =>
        JsonDocument.Parse(await RunAsync("qemu-img", "info", "-U", "--output=json", path)).RootElement.Clone();

    private static async Task<string> RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"{command} {string.Join(' ', arguments)}: {await error}");
        return await output;
    }

    private static async Task<JsonElement> WaitSettledAsync(VolumeApi volumes, string id, string expected)
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
