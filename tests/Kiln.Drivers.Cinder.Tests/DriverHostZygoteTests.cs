using System.Diagnostics;
using System.Text.Json.Nodes;
using Kiln.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.Cinder.Tests;

/// <summary>
/// The pre-imported zygote with the real host program: hosts forked from it are separate processes (killed by their
/// own id, exit codes reported), and a zygote that dies is replaced at the next start. One zygote for the class: the
/// import of Cinder is the cost it exists to pay once.
/// </summary>
public sealed class DriverHostZygoteTests(ZygoteFixture fixture) : IClassFixture<ZygoteFixture>
{
    [Fact]
    public async Task Start_TwoHosts_EachItsOwnChildOfTheZygote_KillingOneLeavesTheOtherAndTheZygote()
    {
        await using var first = await fixture.StartAsync();
        await using var second = await fixture.StartAsync();
        var zygote = fixture.ZygotePid().ShouldNotBeNull();

        first.Pid.ShouldNotBe(second.Pid);
        ParentOf(first.Pid).ShouldBe(zygote);
        ParentOf(second.Pid).ShouldBe(zygote);
        (await Ping(second)).ShouldBe(second.Pid);

        first.Kill("test");
        await WaitGoneAsync(first.Pid);

        (await Should.ThrowAsync<DriverException>(() => Ping(first))).Message.ShouldContain($"driver host process {first.Pid} was killed: test");
        (await Ping(second)).ShouldBe(second.Pid);
        fixture.ZygotePid().ShouldBe(zygote);
    }

    [Fact]
    public async Task Load_DriverModuleExitsTheProcess_CallFailsRecoverablyWithTheExitCodeTheZygoteReported()
    {
        await using var host = await fixture.StartAsync();

        var error = await Should.ThrowAsync<DriverException>(() => host.CallAsync("load", Load("kiln_exit_driver.Driver"), TestContext.Current.CancellationToken));

        error.ShouldNotBeAssignableTo<UnrecoverableDriverException>();
        error.Message.ShouldContain($"driver host process {host.Pid} exited with code 5");
        error.Message.ShouldContain("kiln_exit_driver: exiting");
        fixture.ZygotePid().ShouldNotBeNull();
    }

    [Fact]
    public async Task Load_MissingDriverModule_DependencyErrorFromTheForkedHost()
    {
        await using var host = await fixture.StartAsync();

        var error = await Should.ThrowAsync<DriverDependencyException>(() => host.CallAsync("load", Load("kiln_no_such_module.Driver"), TestContext.Current.CancellationToken));

        error.Message.ShouldContain("No module named 'kiln_no_such_module'");
    }

    [Fact]
    public async Task Start_ZygoteDied_NextStartForksFromANewZygoteAndEarlierHostsLiveOn()
    {
        await using var before = await fixture.StartAsync();
        var old = fixture.ZygotePid().ShouldNotBeNull();

        using (var zygote = Process.GetProcessById(old))
        {
            zygote.Kill();
        }

        await WaitGoneAsync(old);
        await using var after = await fixture.StartAsync();

        var replacement = fixture.ZygotePid().ShouldNotBeNull();
        replacement.ShouldNotBe(old);
        ParentOf(after.Pid).ShouldBe(replacement);
        (await Ping(after)).ShouldBe(after.Pid);
        (await Ping(before)).ShouldBe(before.Pid);
    }

    private static JsonObject Load(string driver) => new()
    {
        ["backend"] = "test",
        ["host"] = "node@test",
        ["volume_driver"] = driver,
        ["options"] = new JsonObject(),
    };

    private static async Task<int> Ping(DriverHostProcess host) =>
        (await host.CallAsync("ping", null, TestContext.Current.CancellationToken)).GetProperty("pid").GetInt32();

    private static int ParentOf(int pid)
    {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var started = Stopwatch.GetTimestamp();
        while (File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), $"process {pid} is still alive");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>One launcher (so one zygote at a time) for <see cref="DriverHostZygoteTests"/>, with a driver module that exits its process on import.</summary>
public sealed class ZygoteFixture : IAsyncLifetime
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "cinder-driver-host.py");
    private readonly DirectoryInfo modules = Directory.CreateTempSubdirectory("kiln-zygote-test-");
    private readonly DriverHostLauncher launcher = new();
    private readonly DriverHostRegistry registry = new();

    internal static CinderDriverOptions Options { get; } = new("x.Driver", "/usr/bin/python3", Program, Prefork: true, new Dictionary<string, string>());

    public ValueTask InitializeAsync()
    {
        File.Exists("/usr/lib/python3/dist-packages/cinder/volume/driver.py").ShouldBeTrue("Cinder is not importable: install python3-cinder (eng/install-test-deps.sh)");
        File.WriteAllText(Path.Combine(modules.FullName, "kiln_exit_driver.py"), "import os, sys\nsys.stderr.write('ERROR kiln_exit_driver: exiting\\n')\nos._exit(5)\n");

        // The zygote passes its environment to every host it forks: the module is found as an out-of-tree driver would be.
        Environment.SetEnvironmentVariable("PYTHONPATH", modules.FullName);
        return ValueTask.CompletedTask;
    }

    internal int? ZygotePid() => launcher.ZygotePid(Options.Python, Options.HostProgram);

    internal Task<DriverHostProcess> StartAsync() =>
        launcher.StartAsync(Options, "node@test", NullLogger.Instance, registry, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(240));

    public async ValueTask DisposeAsync()
    {
        var pid = ZygotePid();
        await launcher.DisposeAsync();
        pid.ShouldNotBeNull();
        Directory.Exists($"/proc/{pid}").ShouldBeFalse("the zygote exits when its launcher is disposed");
        modules.Delete(recursive: true);
    }
}
