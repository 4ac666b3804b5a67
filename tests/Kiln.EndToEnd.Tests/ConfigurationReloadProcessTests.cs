using System.Diagnostics;

namespace Kiln.EndToEnd.Tests;

/// <summary>SIGHUP on the real <c>kiln serve</c>: the changed backend is re-initialized from the edited file, the others are not touched.</summary>
public sealed class ConfigurationReloadProcessTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kiln-e2e-hup-");
    private readonly string host = "e2e-node";

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public async Task Sighup_BrokenSectionFixed_OnlyThatBackendIsReinitializedAndTheProcessKeepsRunning()
    {
        var steadyCalls = Path.Combine(dir.FullName, "steady-calls.log");
        var path = Path.Combine(dir.FullName, "kiln.conf");
        File.WriteAllText(path, Config(steadyCalls, "faultt"));

        await using var kiln = KilnProcess.Start(path, dir.FullName);
        var address = await kiln.WaitListeningAsync(TimeSpan.FromSeconds(30));
        using var client = new KilnClient(address);
        await client.WaitForStateAsync($"{host}@steady", "ready", TimeSpan.FromSeconds(10));
        await client.WaitForStateAsync($"{host}@typo", "unrecoverable", TimeSpan.FromSeconds(10));

        File.WriteAllText(path, Config(steadyCalls, "fault"));
        kiln.Hangup();

        await client.WaitForStateAsync($"{host}@typo", "ready", TimeSpan.FromSeconds(10));
        (await client.StateAsync($"{host}@steady")).ShouldBe("ready");
        File.ReadAllLines(steadyCalls).Count(l => l.EndsWith(" do_setup", StringComparison.Ordinal)).ShouldBe(1);
        await WaitForOutputAsync(kiln, "backends re-initializing: e2e-node@typo; unchanged: e2e-node@steady");
        kiln.Output.ShouldContain("SIGHUP received");
        kiln.Output.ShouldContain("options: volume_driver");
        kiln.ExitCode.ShouldBeNull();

        (await kiln.TerminateAsync(TimeSpan.FromSeconds(10))).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        kiln.ExitCode.ShouldBe(0);
    }

    private string Config(string steadyCalls, string typoDriver) => $"""
        [DEFAULT]
        host = {host}
        state_path = {dir.FullName}/data
        enabled_backends = steady, typo

        [steady]
        volume_driver = fault
        fault_call_log = {steadyCalls}

        [typo]
        volume_driver = {typoDriver}
        """;

    private static async Task WaitForOutputAsync(KilnProcess kiln, string text)
    {
        var started = Stopwatch.GetTimestamp();
        while (!kiln.Output.Contains(text, StringComparison.Ordinal))
        {
            Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(10), kiln.Output);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
