namespace Kiln.Chaos.Tests;

/// <summary>The chaos checker's own rules, on made-up runs: it must still find what it exists to find.</summary>
public sealed class InvariantChecksTests
{
    private const long T = 1_780_000_000_000;

    [Fact]
    public void NoAttemptAfterGivingUp_AttemptWithoutRequest_IsAViolation()
    {
        var look = Look(sent: T, received: T + 10);

        var violations = Check([look], resets: [], setupCalls: [T + 11]);

        violations.ShouldHaveSingleItem().Invariant.ShouldBe(Invariants.NoAttemptAfterGivingUp);
    }

    [Fact]
    public void NoAttemptAfterGivingUp_AttemptAfterTheOperatorsRequest_IsNotAViolation()
    {
        var look = Look(sent: T, received: T + 10);

        Check([look], resets: [("f7", T + 12)], setupCalls: [T + 13]).ShouldBeEmpty();
    }

    // Seen in CI (chaos seed 1): the re-init was answered 202, a look at os-services answered before the loop
    // took the request still said unrecoverable, and the attempt the request started came 1 ms after it.
    [Fact]
    public void NoAttemptAfterGivingUp_LookBetweenRequestAndItsAttempt_IsNotJudged()
    {
        var before = Look(sent: T, received: T + 5);
        var between = Look(sent: T + 8, received: T + 14);

        Check([before, between], resets: [("f7", T + 6)], setupCalls: [T + 15]).ShouldBeEmpty();
    }

    [Fact]
    public void NoAttemptAfterGivingUp_SecondAttemptAfterTheRequestsOwnFailed_IsAViolation()
    {
        // The request's attempt ran (T+7) and failed again; the look after it is judged, and a third do_setup with no request is found.
        var after = Look(sent: T + 20, received: T + 25);

        var violations = Check([after], resets: [("f7", T + 6)], setupCalls: [T + 7, T + 30]);

        violations.ShouldHaveSingleItem().Detail.ShouldContain("1 more time(s)");
    }

    private static BackendObservation Look(long sent, long received) =>
        new("f7", TimeSpan.FromSeconds(30), sent, received, "unrecoverable", 0, 3);

    private static List<Violation> Check(BackendObservation[] looks, (string? Backend, long UnixMs)[] resets, long[] setupCalls) =>
        [.. InvariantChecks.NoAttemptAfterGivingUp(
            new Ledger(),
            looks,
            [.. resets.Select(r => (r.Backend, r.UnixMs, "reinit"))],
            backend => backend == "f7" ? setupCalls : [])];
}
