namespace Kiln.Chaos.Tests;

/// <summary>
/// The seeded chaos harness as a test: fixed seeds in ./build.sh, or the seed and length that
/// eng/chaos.sh puts in the environment. The same run either way; a violation fails the test with
/// the seed and the schedule step that reproduces it.
/// </summary>
public sealed class ChaosTests
{
    private static readonly TimeSpan ShortRun = TimeSpan.FromSeconds(15);

    public static TheoryData<int> Seeds => ChaosSettings.FromEnvironment() is { } asked ? new TheoryData<int>(asked.Seed) : new TheoryData<int>(1, 2);

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ChaosRun_Seed_EveryInvariantHolds(int seed)
    {
        var settings = ChaosSettings.FromEnvironment() ?? new ChaosSettings(seed, ShortRun);
        var output = TestContext.Current.TestOutputHelper;
        var report = await new ChaosRun(settings, line =>
        {
            output?.WriteLine(line);
            Console.Error.WriteLine(line);
        }).RunAsync();

        output?.WriteLine(report.Text);
        if (report.Violations.Count > 0)
        {
            Assert.Fail(report.Text);
        }
    }
}
