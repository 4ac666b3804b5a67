using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault.Tests;

public sealed class SetupTests : IDisposable
{
    private readonly FaultTestBed bed = new();

    public static TheoryData<string, Type, FailureKind, string> FailingInitModes => new()
    {
        { "transient", typeof(DriverException), FailureKind.Recoverable, "transient init failure (fault_control_file init=transient)" },
        { "config", typeof(DriverConfigurationException), FailureKind.Unrecoverable, "configuration failure (fault_control_file init=config)" },
        { "unsupported", typeof(DriverNotSupportedException), FailureKind.Unrecoverable, "driver not supported (fault_control_file init=unsupported)" },
        { "dependency", typeof(DriverDependencyException), FailureKind.Unrecoverable, "missing dependency (fault_control_file init=dependency)" },
    };

    [Theory]
    [MemberData(nameof(FailingInitModes))]
    public async Task SetupAsync_FailingInitMode_ThrowsExactTaxonomyType(string mode, Type expectedType, FailureKind expectedKind, string expectedMessage)
    {
        bed.WriteControl($$"""{"init": "{{mode}}"}""");
        var driver = bed.CreateDriver();

        var error = await Should.ThrowAsync<Exception>(() => driver.SetupAsync(FaultTestBed.Token));

        error.ShouldBeOfType(expectedType);
        error.Message.ShouldBe(expectedMessage);
        DriverErrorClassifier.Classify(error).ShouldBe(expectedKind);
    }

    [Fact]
    public async Task SetupAsync_InitOk_Succeeds()
    {
        bed.WriteControl("""{"init": "ok"}""");
        var driver = bed.CreateDriver();

        await driver.SetupAsync(FaultTestBed.Token);
        await driver.CheckForSetupErrorAsync(FaultTestBed.Token);

        bed.CalledMethods().ShouldBe(["do_setup", "check_for_setup_error"]);
    }

    [Theory]
    [InlineData("transient")]
    [InlineData("config")]
    [InlineData("unsupported")]
    [InlineData("dependency")]
    [InlineData("hang")]
    public async Task CheckForSetupErrorAsync_AnyInitMode_Succeeds(string mode)
    {
        // init scripts do_setup only; check_for_setup_error fails only when storage is unreachable.
        bed.WriteControl($$"""{"init": "{{mode}}"}""");
        var driver = bed.CreateDriver();

        await driver.CheckForSetupErrorAsync(FaultTestBed.Token).WaitAsync(TimeSpan.FromSeconds(30), FaultTestBed.Token);
    }

    [Fact]
    public async Task SetupAsync_InitHang_NeverCompletesUntilCancelled()
    {
        bed.WriteControl("""{"init": "hang"}""");
        var driver = bed.CreateDriver();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(FaultTestBed.Token);

        var setup = driver.SetupAsync(cancellation.Token);
        bed.Time.Advance(TimeSpan.FromDays(3650));

        // The driver reads its files on the thread pool: real time (not the fake clock) lets a setup that
        // wrongly returned finish its I/O. This can only miss a bug, never fail a correct driver.
        var first = await Task.WhenAny(setup, Task.Delay(TimeSpan.FromMilliseconds(200), FaultTestBed.Token));
        first.ShouldNotBe(setup);
        bed.Time.Advance(TimeSpan.FromDays(3650));
        setup.IsCompleted.ShouldBeFalse();

        await cancellation.CancelAsync();

        var error = await Should.ThrowAsync<OperationCanceledException>(() => setup);
        error.CancellationToken.ShouldBe(cancellation.Token);
    }

    [Fact]
    public async Task SetupAsync_InitHangUnderADeadline_TimesOutOnTheFakeClock()
    {
        bed.WriteControl("""{"init": "hang"}""");
        var driver = bed.CreateDriver();

        var bounded = driver.SetupAsync(FaultTestBed.Token).WaitAsync(TimeSpan.FromSeconds(300), bed.Time, FaultTestBed.Token);
        bed.Time.Advance(TimeSpan.FromSeconds(300));

        await Should.ThrowAsync<TimeoutException>(() => bounded);
    }

    [Theory]
    [InlineData("0", "expected an integer >= 1")]
    [InlineData("-5", "expected an integer >= 1")]
    [InlineData("lots", "expected an integer")]
    [InlineData("1.5", "expected an integer")]
    [InlineData("99999999999", "expected an integer")]
    public async Task SetupAsync_BadCapacity_ThrowsConfigurationErrorNamingSectionAndOption(string value, string expected)
    {
        var driver = bed.CreateDriver("fault7", ("fault_capacity_gb", value));

        var error = await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(FaultTestBed.Token));

        error.Message.ShouldBe($"[fault7] fault_capacity_gb = '{value}' is invalid: {expected}");
    }

    [Theory]
    [InlineData("1")]
    [InlineData(" 250 ")]
    [InlineData("2147483647")]
    public async Task SetupAsync_GoodCapacity_Succeeds(string value)
    {
        var driver = bed.CreateDriver(options: ("fault_capacity_gb", value));

        await driver.SetupAsync(FaultTestBed.Token);
    }

    [Fact]
    public async Task SetupAsync_BadCapacityAndInitTransient_ReportsTheConfigurationError()
    {
        // A bad option must make the backend unrecoverable, not hide behind a retryable fault.
        bed.WriteControl("""{"init": "transient"}""");
        var driver = bed.CreateDriver(options: ("fault_capacity_gb", "0"));

        await Should.ThrowAsync<DriverConfigurationException>(() => driver.SetupAsync(FaultTestBed.Token));
    }

    [Theory]
    [MemberData(nameof(DriverCalls.All), MemberType = typeof(DriverCalls))]
    public async Task EveryCall_TokenAlreadyCancelled_ThrowsWithoutRecording(string method)
    {
        var driver = bed.CreateDriver();
        await DriverCalls.SeedAsync(driver);
        var before = bed.CallLogLines().Length;

        await Should.ThrowAsync<OperationCanceledException>(() => DriverCalls.InvokeAsync(driver, method, new CancellationToken(canceled: true)));

        bed.CallLogLines().Length.ShouldBe(before);
    }

    public void Dispose() => bed.Dispose();
}
