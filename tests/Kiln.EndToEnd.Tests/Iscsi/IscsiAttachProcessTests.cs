using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Kiln.Tests.Shared;

namespace Kiln.EndToEnd.Tests.Iscsi;

/// <summary>
/// The real <c>kiln serve</c> as compute hosts use it: a raw volume exported over iSCSI by the tgtd Kiln
/// starts itself (no tgtd was running: zero setup), reached with libiscsi using the connection info's CHAP
/// credentials and the host's initiator name; data written by one host is read by another; two hosts at
/// once; a killed tgtd is restarted with the export back; Kiln stopping stops its tgtd.
/// </summary>
public sealed class IscsiAttachProcessTests : IAsyncLifetime
{
    private const string Host = "e2e-iscsi";
    // Generous: the build machine runs many test processes on two cores.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-e2e-iscsi-");

    // A control port and portal of this test alone: the tgtd Kiln starts cannot meet another test's.
    private readonly int controlPort = Random.Shared.Next(10_000, 32_000);
    private readonly int portalPort = FreeTcpPort();
    private KilnProcess kiln = null!;
    private HttpClient http = null!;

    public async ValueTask InitializeAsync()
    {
        var config = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(config, $"""
            [DEFAULT]
            host = {Host}
            state_path = {dir.FullName}/data
            enabled_backends = files

            [files]
            volume_driver = file
            target_port = {portalPort}
            tgt_control_port = {controlPort}
            tgt_check_interval = 1
            """);
        kiln = KilnProcess.Start(config, dir.FullName);
        http = new HttpClient { BaseAddress = await kiln.WaitListeningAsync(Deadline), Timeout = Deadline };
        await WaitReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await kiln.DisposeAsync();
        foreach (var pid in TgtdChildren())
        {
            Process.GetProcessById(pid).Kill();
        }

        dir.Delete(recursive: true);
    }

    /// <summary>Every way a compute host connects; the attachments API joins the legacy actions here.</summary>
    private static readonly Dictionary<string, Func<HttpClient, IVolumeConnections>> Connectors = new()
    {
        ["legacy"] = http => new LegacyConnections(http),
        ["attachments"] = http => new AttachmentConnections(http),
    };

    public static TheoryData<string> Ways => [.. Connectors.Keys];

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task RawVolume_WrittenByOneHostDetachedThenReadByAnother(string way)
    {
        var connections = Connections(way);
        var id = await NewVolumeAsync();
        TgtdChildren().ShouldBeEmpty("Kiln starts tgtd when an export first needs it");

        var atA = await connections.ConnectAsync(id, ComputeHost.A);
        TgtdChildren().Count.ShouldBe(1, "no tgtd answered on the control port, so Kiln started its own");
        var data = atA.GetProperty("data");
        data.GetProperty("target_portal").GetString().ShouldBe($"127.0.0.1:{portalPort}");
        data.GetProperty("target_iqn").GetString().ShouldBe($"iqn.2010-10.org.openstack:volume-{id}");
        data.GetProperty("auth_method").GetString().ShouldBe("CHAP");
        await ComputeHost.A.WriteAsync(atA, 0x5c);
        (await ComputeHost.A.ReadsAsync(atA, 0x5c)).ShouldBeTrue();
        (await ComputeHost.A.ReadsAsync(atA, 0x00)).ShouldBeFalse("a read checked against the wrong pattern must fail, or the reads prove nothing");
        (await ComputeHost.B.ReadsAsync(atA, 0x5c)).ShouldBeFalse("host B was not given the volume: with A's credentials it still cannot log in");

        await connections.DisconnectAsync(id, ComputeHost.A);
        (await ComputeHost.A.ReadsAsync(atA, 0x5c)).ShouldBeFalse("host A was detached");

        var atB = await connections.ConnectAsync(id, ComputeHost.B);
        (await ComputeHost.B.ReadsAsync(atB, 0x5c)).ShouldBeTrue("host B reads what host A wrote");
        await connections.DisconnectAsync(id, ComputeHost.B);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task RawVolume_TwoHostsAtOnce_BothServedUntilEachDetaches(string way)
    {
        var connections = Connections(way);
        var id = await NewVolumeAsync();

        var atA = await connections.ConnectAsync(id, ComputeHost.A);
        var atB = await connections.ConnectAsync(id, ComputeHost.B);

        atB.GetProperty("data").GetProperty("target_iqn").GetString().ShouldBe(atA.GetProperty("data").GetProperty("target_iqn").GetString());
        await ComputeHost.A.WriteAsync(atA, 0x3a);
        (await ComputeHost.B.ReadsAsync(atB, 0x3a)).ShouldBeTrue("both hosts are logged in to the same target");
        await ComputeHost.B.WriteAsync(atB, 0x4b);
        (await ComputeHost.A.ReadsAsync(atA, 0x4b)).ShouldBeTrue();

        await connections.DisconnectAsync(id, ComputeHost.A);
        (await ComputeHost.A.ReadsAsync(atA, 0x4b)).ShouldBeFalse("host A was detached");
        (await ComputeHost.B.ReadsAsync(atB, 0x4b)).ShouldBeTrue("host B is still attached");

        await connections.DisconnectAsync(id, ComputeHost.B);
        (await ComputeHost.B.ReadsAsync(atB, 0x4b)).ShouldBeFalse("the target went with its last host");
    }

    [Fact]
    public async Task KilnsTgtdKilled_RestartedWithTheExportBackAndCountedThenStoppedWithKiln()
    {
        var connections = Connections("legacy");
        var id = await NewVolumeAsync();
        var atA = await connections.ConnectAsync(id, ComputeHost.A);
        await ComputeHost.A.WriteAsync(atA, 0x6d);
        var first = TgtdChildren().Single();

        Process.GetProcessById(first).Kill();

        await Poll.UntilAsync(() => ComputeHost.A.ReadsAsync(atA, 0x6d), done => done, Deadline, _ => $"the export did not come back:\n{kiln.Output}");

        var second = TgtdChildren().Single();
        second.ShouldNotBe(first);
        var metrics = await http.GetStringAsync("/metrics");
        metrics.ShouldContain($"kiln_iscsi_tgtd_restarts_total{{control_port=\"{controlPort}\"}} 1");
        metrics.ShouldContain("kiln_iscsi_target_restores_total{backend=\"files\",reason=\"targets_lost\"} 1");
        metrics.ShouldContain($"kiln_iscsi_tgtd_state{{control_port=\"{controlPort}\",state=\"running\"}} 1");
        var target = (await BackendAsync()).GetProperty("iscsi_target");
        target.GetProperty("manage").GetString().ShouldBe("auto");
        target.GetProperty("state").GetString().ShouldBe("running");
        target.GetProperty("pid").GetInt32().ShouldBe(second);
        target.GetProperty("restarts").GetInt32().ShouldBe(1);

        (await kiln.TerminateAsync(Deadline)).ShouldBeLessThan(Deadline);
        ProcessAlive(second).ShouldBeFalse("Kiln stops the tgtd it started");
    }

    private async Task WaitReadyAsync() =>
        await Poll.UntilAsync(BackendAsync, backend => backend.GetProperty("driver_state").GetString() == "ready", Deadline, backend => $"the file backend did not become ready: {backend}");

    /// <summary>The file backend on os-services with Kiln's lifecycle view.</summary>
    private async Task<JsonElement> BackendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/admin/os-services?binary=cinder-volume");
        request.Headers.Add("X-Kiln-Extensions", "true");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("services").EnumerateArray().Single().Clone();
    }

    private bool multiattachType;

    private IVolumeConnections Connections(string way) => Connectors[way](http);

    private async Task<string> NewVolumeAsync()
    {
        // Multiattach, so that two hosts may hold attachments at once (the legacy actions do not ask).
        if (!multiattachType)
        {
            using var type = await http.PostAsJsonAsync("/v3/admin/types", new { volume_type = new { name = "multi", extra_specs = new Dictionary<string, string> { ["multiattach"] = "<is> True" } } });
            type.StatusCode.ShouldBe(HttpStatusCode.OK, await type.Content.ReadAsStringAsync());
            multiattachType = true;
        }

        using var create = await http.PostAsJsonAsync("/v3/admin/volumes", new { volume = new { size = 1, volume_type = "multi" } });
        create.StatusCode.ShouldBe(HttpStatusCode.Accepted, await create.Content.ReadAsStringAsync());
        var id = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("volume").GetProperty("id").GetString();
        var volumes = new VolumeApi(http);
        await volumes.WaitForStatusAsync(id!, "available", Deadline);
        return id!;
    }

    /// <summary>The tgtd processes whose parent is this test's kiln.</summary>
    private List<int> TgtdChildren()
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(entry, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
            var comm = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (comm == "tgtd" && fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == kiln.ProcessId)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    private static bool ProcessAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
