using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Kiln.EndToEnd.Tests;

/// <summary>A backend fails or the process dies while requests are in flight: nothing is stranded, nothing lost.</summary>
public sealed class VolumeResilienceProcessTests : IDisposable
{
    private const string Host = "e2e-node";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-resilience-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Serve_BackendFailsMidLifeWithRequestsInFlight_NothingTransitionalNothingLostAllUsableAfterRecovery()
    {
        var readyFile = Path.Combine(dir.FullName, "array-up");
        File.WriteAllText(readyFile, "");
        var control = Path.Combine(dir.FullName, "control.json");
        WriteControl(control, new { ready_file = readyFile });
        var config = WriteConfig($"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = flaky
            quota_volumes = -1
            backend_stats_polling_interval = 0.5
            stats_failure_threshold = 2
            reinit_probe_interval = 0.2

            [flaky]
            volume_driver = fault
            fault_control_file = {control}
            """);

        await using var kiln = KilnProcess.Start(config, dir.FullName);
        using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
        var api = new VolumeApi(client.Http);
        await client.WaitForStateAsync($"{Host}@flaky", "ready", TimeSpan.FromSeconds(10));

        // A first batch lands while the backend is healthy.
        var accepted = new ConcurrentBag<string>();
        var deleted = new ConcurrentBag<string>();
        foreach (var (status, id) in await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.CreateAsync(1))))
        {
            status.ShouldBe(HttpStatusCode.Accepted);
            accepted.Add(id!);
        }

        await api.SettleAsync(TimeSpan.FromSeconds(20));

        // Storage disappears while creates and deletes keep arriving.
        var load = Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            if (i % 2 == 0)
            {
                var (status, id) = await api.CreateAsync(1);
                status.ShouldBe(HttpStatusCode.Accepted);
                accepted.Add(id!);
            }
            else
            {
                var victim = accepted.ElementAt(i % 20);
                var status = await api.DeleteAsync(victim);
                status.ShouldBeOneOf(HttpStatusCode.Accepted, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
                if (status == HttpStatusCode.Accepted)
                {
                    deleted.Add(victim);
                }
            }
        }));
        File.Delete(readyFile);
        await load;
        await client.WaitForStateAsync($"{Host}@flaky", "failed", TimeSpan.FromSeconds(20));

        // While failed: no new volume is placed there, and operations on its volumes are refused unchanged.
        var (lateStatus, lateId) = await api.CreateAsync(1);
        lateStatus.ShouldBe(HttpStatusCode.Accepted);
        accepted.Add(lateId!);
        await api.WaitForStatusAsync(lateId!, "error", TimeSpan.FromSeconds(10));
        (await api.ShowAsync(lateId!))!.Value.GetProperty("error_reason").GetString()!.ShouldContain($"{Host}@flaky#flaky: failed");
        var settled = await api.SettleAsync(TimeSpan.FromSeconds(20));
        var survivor = settled.First(v => v.GetProperty("status").GetString() == "available").GetProperty("id").GetString()!;
        (await api.DeleteAsync(survivor)).ShouldBe(HttpStatusCode.Conflict);
        (await api.StatusAsync(survivor)).ShouldBe("available");

        // Storage returns: the probe brings the backend back; every volume ends usable or deletable.
        File.WriteAllText(readyFile, "");
        await client.WaitForStateAsync($"{Host}@flaky", "ready", TimeSpan.FromSeconds(10));
        settled = await api.SettleAsync(TimeSpan.FromSeconds(20));

        var present = settled.ToDictionary(v => v.GetProperty("id").GetString()!);
        foreach (var id in accepted.Except(deleted))
        {
            present.ShouldContainKey(id, "an accepted volume that nobody deleted must still exist");
        }

        settled.ShouldAllBe(v => !VolumeApi.Transitional.Contains(v.GetProperty("status").GetString()));
        foreach (var volume in settled)
        {
            var id = volume.GetProperty("id").GetString()!;
            switch (volume.GetProperty("status").GetString())
            {
                case "available":
                    (await api.ExtendAsync(id, 2)).ShouldBe(HttpStatusCode.Accepted);
                    await api.WaitForStatusAsync(id, "available", TimeSpan.FromSeconds(10));
                    (await api.ShowAsync(id))!.Value.GetProperty("size").GetInt32().ShouldBe(2);
                    break;
                default:
                    volume.GetProperty("error_reason").ValueKind.ShouldBe(JsonValueKind.String);
                    (await api.DeleteAsync(id)).ShouldBe(HttpStatusCode.Accepted);
                    await api.WaitGoneAsync(id, TimeSpan.FromSeconds(10));
                    break;
            }
        }
    }

    [Fact]
    public async Task Serve_KilledWhileCreatingAndDeleting_EveryVolumeEndsDefinedAfterRestart()
    {
        var control = Path.Combine(dir.FullName, "control.json");
        WriteControl(control, new { ops = "ok" });
        var config = WriteConfig($"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = crashy

            [crashy]
            volume_driver = fault
            fault_control_file = {control}
            """);

        List<string> toDelete;
        List<string> creating;
        await using (var kiln = KilnProcess.Start(config, dir.FullName))
        {
            using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
            var api = new VolumeApi(client.Http);
            await client.WaitForStateAsync($"{Host}@crashy", "ready", TimeSpan.FromSeconds(10));
            toDelete = [.. (await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.CreateAsync(1)))).Select(r => r.Id!)];
            await api.SettleAsync(TimeSpan.FromSeconds(10));

            // Every driver operation now hangs: requests stay in flight until the process dies.
            WriteControl(control, new { ops = "hang" });
            creating = [.. (await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.CreateAsync(1)))).Select(r => r.Id!)];
            foreach (var id in toDelete)
            {
                (await api.DeleteAsync(id)).ShouldBe(HttpStatusCode.Accepted);
            }

            foreach (var id in creating)
            {
                await WaitUntilAsync(async () => (await api.ShowAsync(id))!.Value.GetProperty("os-vol-host-attr:host").ValueKind == JsonValueKind.String);
            }

            (await api.ListAsync()).Count(v => VolumeApi.Transitional.Contains(v.GetProperty("status").GetString())).ShouldBe(10);
            kiln.Kill();
        }

        WriteControl(control, new { ops = "ok" });
        await using (var restarted = KilnProcess.Start(config, dir.FullName))
        {
            using var client = new KilnClient(await restarted.WaitListeningAsync(TimeSpan.FromSeconds(30)));
            var api = new VolumeApi(client.Http);
            await client.WaitForStateAsync($"{Host}@crashy", "ready", TimeSpan.FromSeconds(10));
            var settled = await api.SettleAsync(TimeSpan.FromSeconds(10));

            foreach (var id in toDelete)
            {
                (await api.ShowAsync(id)).ShouldBeNull("a delete interrupted by the crash is resumed at init");
            }

            foreach (var id in creating)
            {
                var volume = (await api.ShowAsync(id))!.Value;
                volume.GetProperty("status").GetString().ShouldBe("error");
                volume.GetProperty("error_reason").GetString()!.ShouldContain("interrupted");
                (await api.DeleteAsync(id)).ShouldBe(HttpStatusCode.Accepted);
                await api.WaitGoneAsync(id, TimeSpan.FromSeconds(10));
            }

            settled.Count.ShouldBe(creating.Count);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static void WriteControl(string path, object control)
    {
        // Replace in one step: the driver re-reads the file on every call.
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(control));
        File.Move(temp, path, overwrite: true);
    }

    private string WriteConfig(string text)
    {
        var path = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
