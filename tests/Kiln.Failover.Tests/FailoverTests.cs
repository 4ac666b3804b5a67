namespace Kiln.Failover.Tests;

/// <summary>
/// Issue 14's failure tests as a test: in ./build.sh the short run (a volume node killed and restarted,
/// the broker restarted, three clients); eng/failover.sh runs every fault with more traffic, or the
/// throughput benchmark (<c>KILN_FAILOVER_MODE=bench</c>). A violation fails the test with the report.
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Failover_EachFaultInTurn_AcknowledgedRequestsEndAndDatabaseAgreesWithDrivers()
    {
        var output = TestContext.Current.TestOutputHelper;
        void Log(string line)
        {
            output?.WriteLine(line);
            Console.Error.WriteLine(line);
        }

        var settings = FailoverSettings.FromEnvironment();
        if (Environment.GetEnvironmentVariable("KILN_FAILOVER_MODE") == "bench")
        {
            var table = await new FailoverBench(settings, Log).RunAsync();
            Write(settings, table);
            return;
        }

        var report = await new FailoverRun(settings, Log).RunAsync();
        Write(settings, report.Text);
        if (report.Violations.Count > 0)
        {
            Assert.Fail(report.Text);
        }
    }

    private static void Write(FailoverSettings settings, string text)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        if (settings.ReportPath is { } path)
        {
            File.WriteAllText(path, text);
        }
    }
}
