using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Kiln.EndToEnd.Tests;

/// <summary>The real <c>kiln serve</c> killed or refused at the worst moment: the record ends in step with the disk, and the log says only what happened.</summary>
[SupportedOSPlatform("linux")]
public sealed class DurabilityProcessTests : IDisposable
{
    private const string Host = "e2e-node";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-durability-");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Serve_KilledAfterExtendsResizedTheirFiles_RestartRecordsTheNewSizesAndTheyExtendAgain()
    {
        // qemu-img that, while the hold file exists, resizes and then never returns: kill -9 lands between
        // the file's resize and the status write, every time.
        var hold = Path.Combine(dir.FullName, "hold");
        var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin")).FullName;
        var wrapper = Path.Combine(bin, "qemu-img");
        File.WriteAllText(wrapper, $"""
            #!/bin/sh
            /usr/bin/qemu-img "$@" || exit $?
            if [ "$1" = resize ] && [ -e {hold} ]; then touch {hold}.$$; exec sleep 600; fi
            exit 0

            """);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var volumesDir = Path.Combine(dir.FullName, "volumes");
        var config = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(config, $"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = files

            [files]
            volume_driver = file
            file_volumes_dir = {volumesDir}
            """);
        Directory.CreateDirectory(volumesDir);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
        int[] newSizes = [3, 2, 3];

        List<string> ids;
        await using (var kiln = KilnProcess.Start(config, dir.FullName, environment))
        {
            using var client = new KilnClient(await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30)));
            var api = new VolumeApi(client.Http);
            await client.WaitForStateAsync($"{Host}@files", "ready", TimeSpan.FromSeconds(20));
            ids = [.. (await Task.WhenAll(newSizes.Select(_ => api.CreateAsync(1)))).Select(r => r.Id!)];
            await api.SettleAsync(TimeSpan.FromSeconds(20));

            File.WriteAllText(hold, "");
            try
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    (await api.ExtendAsync(ids[i], newSizes[i])).ShouldBe(HttpStatusCode.Accepted);
                }
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"extend refused or timed out; kiln said:\n{kiln.Output}", ex);
            }

            try
            {
                // Not GetFiles("hold.*"): .NET's pattern also matches "hold" itself (no extension).
                await WaitUntilAsync(() => Directory.GetFiles(dir.FullName).Count(f => Path.GetFileName(f).StartsWith("hold.", StringComparison.Ordinal)) == ids.Count, "every file is resized");
            }
            catch (Exception ex)
            {
                var statuses = await Task.WhenAll(ids.Select(async id => (await api.ShowAsync(id))?.GetProperty("status").GetString()));
                throw new InvalidOperationException(
                    $"not every file was resized: {string.Join(", ", Directory.GetFiles(dir.FullName).Select(Path.GetFileName))}; " +
                    $"statuses {string.Join(", ", statuses)}; volumes {string.Join(", ", Directory.GetFiles(volumesDir).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}"))}; kiln said:\n{kiln.Output}",
                    ex);
            }
            kiln.Kill();
        }

        File.Delete(hold);
        for (var i = 0; i < ids.Count; i++)
        {
            new FileInfo(Path.Combine(volumesDir, $"volume-{ids[i]}.raw")).Length.ShouldBe(newSizes[i] * (1L << 30));
        }

        await using (var restarted = KilnProcess.Start(config, dir.FullName, environment))
        {
            using var client = new KilnClient(await restarted.WaitListeningAsync(TimeSpan.FromSeconds(30)));
            var api = new VolumeApi(client.Http);
            await client.WaitForStateAsync($"{Host}@files", "ready", TimeSpan.FromSeconds(20));
            await api.SettleAsync(TimeSpan.FromSeconds(20));

            for (var i = 0; i < ids.Count; i++)
            {
                var volume = (await api.ShowAsync(ids[i]))!.Value;
                volume.GetProperty("status").GetString().ShouldBe("available", ids[i]);
                volume.GetProperty("size").GetInt32().ShouldBe(newSizes[i], ids[i]);

                (await api.ExtendAsync(ids[i], newSizes[i] + 1)).ShouldBe(HttpStatusCode.Accepted);
                await api.WaitForStatusAsync(ids[i], "available", TimeSpan.FromSeconds(20));
                new FileInfo(Path.Combine(volumesDir, $"volume-{ids[i]}.raw")).Length.ShouldBe((newSizes[i] + 1) * (1L << 30));
            }
        }
    }

    [Fact]
    public async Task Serve_PortInUse_ReportsThatAloneAndNoDatabaseFailure()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var kiln = KilnProcess.Start(null, dir.FullName, new Dictionary<string, string>
        {
            ["KILN__DEFAULT__osapi_volume_listen_port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KILN__DEFAULT__state_path"] = Path.Combine(dir.FullName, "data"),
        });
        await kiln.WaitForExitAsync(TimeSpan.FromSeconds(60));

        kiln.ExitCode.ShouldBe(2, kiln.Output);
        kiln.Output.ShouldContain("kiln: cannot start: ", Case.Sensitive, kiln.Output);
        kiln.Output.ShouldContain("address already in use", Case.Insensitive, kiln.Output);
        kiln.Output.ShouldNotContain("Database start-up failed", Case.Insensitive, kiln.Output);
        kiln.Output.ShouldNotContain("ObjectDisposed", Case.Insensitive, kiln.Output);
        kiln.Output.ShouldNotContain("crit", Case.Sensitive, kiln.Output);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            (DateTime.UtcNow < deadline).ShouldBeTrue(what);
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
