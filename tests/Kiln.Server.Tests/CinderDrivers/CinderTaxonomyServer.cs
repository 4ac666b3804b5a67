using Kiln.Core.Lifecycle;
using Kiln.Server.Tests.Api;

namespace Kiln.Server.Tests.CinderDrivers;

/// <summary>
/// One Kiln with a test driver backend for each way the taxonomy names, plus <c>fast</c> (Kiln's fault driver),
/// whose every state change is recorded: it must stay ready while the others fail, hang and crash.
/// </summary>
public sealed class CinderTaxonomyServer : IAsyncLifetime
{
    private const string Scripted = "kiln_test_drivers.ScriptedDriver";

    private static readonly string Sections = $"""
        [fast]
        volume_driver = fault
        fault_control_file = $DIR/fast.json

        [ok]
        volume_driver = kiln_test_drivers.UnsupportedDriver
        enable_unsupported_driver = True
        volume_backend_name = ok
        kiln_test_dir = $DIR
        reinit_driver_count = 0

        [config]
        volume_driver = {Scripted}
        kiln_test_setup = config
        kiln_test_dir = $DIR

        [badvalue]
        volume_driver = {Scripted}
        kiln_test_count = many
        kiln_test_dir = $DIR

        [missing]
        volume_driver = kiln_no_such_module.Driver

        [unsupported]
        volume_driver = kiln_test_drivers.UnsupportedDriver
        kiln_test_dir = $DIR

        [flaky]
        volume_driver = {Scripted}
        kiln_test_setup = backend
        kiln_test_dir = $DIR
        reinit_driver_count = 0

        [crash]
        volume_driver = {Scripted}
        kiln_test_setup = exit
        kiln_test_dir = $DIR
        reinit_driver_count = 1
        """;

    private readonly List<string> fastChanges = [];

    internal TestServer Server { get; private set; } = null!;

    /// <summary>Every state other than ready that <c>fast</c> entered after it first became ready.</summary>
    public IReadOnlyList<string> FastChangesAfterReady
    {
        get
        {
            lock (fastChanges)
            {
                return [.. fastChanges];
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        CinderHost.Prepare();

        // Kiln's clock is fake (backoff and timeouts move only when a test moves them); a day-long init timeout keeps a
        // slow Python import from timing out while another backend's test moves the clock. The hang has its own
        // server (CinderDriverHangTests): its timeout must be short.
        Server = await TestServer.StartAsync(
            "fast,ok,config,badvalue,missing,unsupported,flaky,crash",
            Sections,
            defaults: "reinit_backoff_initial = 1\nreinit_backoff_max = 2\ndriver_init_timeout = 86400",
            waitForDatabase: false);

        // Seven host processes importing Cinder at once slow the database start-up on a loaded machine.
        await Server.Service<Kiln.Server.Services.DatabaseStartup>().WaitAsync(CancellationToken.None).WaitAsync(CinderHost.Patience);
        var fast = CinderHost.Backend(Server, "fast");
        var wasReady = false;
        fast.Changed += (_, next) =>
        {
            lock (fastChanges)
            {
                if (wasReady && next.State != BackendState.Ready)
                {
                    fastChanges.Add(next.State.ToWireName());
                }

                wasReady |= next.State == BackendState.Ready;
            }
        };
        if (fast.Snapshot.State == BackendState.Ready)
        {
            lock (fastChanges)
            {
                wasReady = true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
