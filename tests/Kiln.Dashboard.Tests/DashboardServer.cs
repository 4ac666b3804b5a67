using System.Text.Json;
using Kiln.EndToEnd.Tests;

namespace Kiln.Dashboard.Tests;

/// <summary>
/// One real <c>kiln serve</c> (noauth) with three fault backends, and one headless browser, shared by a
/// test class. Kiln listens on every address (<c>allow_noauth_remote</c>), so a request to this
/// machine's own non-loopback address shows the dashboard refusing remote callers.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public const string Node = "dash";

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-dashboard-");
    private KilnProcess? kiln;
    private Browser? browser;

    public static string Healthy => $"{Node}@healthy";

    public static string Flaky => $"{Node}@flaky";

    public static string Broken => $"{Node}@broken";

    public int Port { get; private set; }

    /// <summary>The loopback address the browser uses.</summary>
    public Uri Loopback => new($"http://127.0.0.1:{Port}");

    public Browser Browser => browser ?? throw new InvalidOperationException("not started");

    public string FlakyReadyFile => Path.Combine(dir.FullName, "flaky-ready");

    public string Output => kiln?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        WriteControl("flaky", new { ready_file = FlakyReadyFile });
        WriteControl("broken", new { init = "config" });
        var config = Path.Combine(dir.FullName, "kiln.conf");
        await File.WriteAllTextAsync(config, $"""
            [DEFAULT]
            host = {Node}
            state_path = {dir.FullName}/data
            osapi_volume_listen = 127.0.0.1
            enabled_backends = healthy, flaky, broken
            report_interval = 1
            service_down_time = 5
            backend_stats_polling_interval = 0.5
            stats_failure_threshold = 2
            reinit_probe_interval = 0.5
            # A backend failed by its stats retries after 1 s, not 10: the test waits for it to be ready again.
            reinit_backoff_initial = 1

            [healthy]
            volume_driver = fault

            [flaky]
            volume_driver = fault
            fault_control_file = {dir.FullName}/flaky.json

            [broken]
            volume_driver = fault
            fault_control_file = {dir.FullName}/broken.json
            # The re-init test's hanging attempt is visible this long, then times out.
            driver_init_timeout = 5
            """);

        // The browser starts while Kiln does: both take a second or two.
        var starting = Task.Run(() => Browser.Start());
        kiln = KilnProcess.Start(config, dir.FullName);
        Port = (await kiln.WaitListeningAsync(TimeSpan.FromSeconds(60))).Port;
        browser = await starting;
    }

    /// <summary>Rewrites a fault backend's control file (re-read on every driver call).</summary>
    public void WriteControl(string backend, object control) =>
        File.WriteAllText(Path.Combine(dir.FullName, $"{backend}.json"), JsonSerializer.Serialize(control));

    /// <summary>An address of this machine that is not loopback, to call the dashboard as a remote client would.</summary>
    public async ValueTask DisposeAsync()
    {
        browser?.Dispose();
        if (kiln is not null)
        {
            await kiln.TerminateAsync(TimeSpan.FromSeconds(15));
            await kiln.DisposeAsync();
        }

        dir.Delete(recursive: true);
    }
}
