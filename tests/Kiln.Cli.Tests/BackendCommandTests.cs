namespace Kiln.Cli.Tests;

/// <summary><c>kiln backend reinit</c> against a real server (its own, since re-initializing changes backend states).</summary>
public sealed class BackendCommandTests(KilnServerFixture server) : IClassFixture<KilnServerFixture>
{
    private const string Host = KilnServerFixture.Host;

    [Fact]
    public async Task Reinit_WaitOnHealthyBackend_EndsReadyWithAFreshStateSince()
    {
        var before = (await server.RunAsync("service", "list", "-o", "json")).ShouldSucceedWithJson()
            .EnumerateArray().Single(s => s.GetProperty("host").GetString() == $"{Host}@fast").GetProperty("driver_state_since").GetString();

        var service = (await server.RunAsync("backend", "reinit", $"{Host}@fast", "--wait", "-o", "json")).ShouldSucceedWithJson();

        service.GetProperty("host").GetString().ShouldBe($"{Host}@fast");
        service.GetProperty("driver_state").GetString().ShouldBe("ready");
        service.GetProperty("driver_state_since").GetString().ShouldNotBe(before);
    }

    [Fact]
    public async Task Reinit_WaitOnUnrecoverableBackend_ExitsErrorStatusWithTheDriverError()
    {
        var result = await server.RunAsync("backend", "reinit", $"{Host}@broken", "--wait");

        var error = result.ShouldFailWithOneLine(ExitCodes.ErrorStatus);
        error.ShouldBe($"kiln: backend {Host}@broken ended in unrecoverable: DriverConfigurationException: configuration failure (fault_control_file init=config)");
        result.Stdout.ShouldContain("unrecoverable");
    }

    [Fact]
    public async Task Reinit_WhileAnAttemptRuns_ExitsConflict()
    {
        var error = (await server.RunAsync("backend", "reinit", $"{Host}@hanging")).ShouldFailWithOneLine(ExitCodes.Conflict);

        error.ShouldContain("already in progress");
    }

    [Fact]
    public async Task Reinit_UnknownBackend_ExitsNotFoundListingTheKnownOnes()
    {
        var error = (await server.RunAsync("backend", "reinit", $"{Host}@nope")).ShouldFailWithOneLine(ExitCodes.NotFound);

        error.ShouldContain($"Known backends: {Host}@broken, {Host}@fast");
    }

    [Fact]
    public async Task Reinit_WithoutWait_ReportsTheStateItWasIn()
    {
        var table = (await server.RunAsync("backend", "reinit", $"{Host}@late")).ShouldSucceedWithTable();

        table.Trim().ShouldBe($"Re-initialization of {Host}@late requested (it was failed).");
    }

    [Fact]
    public async Task Reinit_NotHostAtBackend_ExitsUsage()
    {
        (await server.RunAsync("backend", "reinit", "fast")).ShouldFailWithOneLine(ExitCodes.Usage).ShouldContain("'fast' is not host@backend");
    }
}
