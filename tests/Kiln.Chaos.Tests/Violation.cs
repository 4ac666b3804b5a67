namespace Kiln.Chaos.Tests;

/// <summary>One broken invariant; <see cref="At"/> (run time) maps it to the schedule step in effect.</summary>
internal sealed record Violation(string Invariant, string Detail, TimeSpan? At = null);

/// <summary>The invariants' names, as the report and docs/chaos.md use them.</summary>
internal static class Invariants
{
    public const string NoServerError = "no 500 from the API";
    public const string ProcessLives = "the process never exits by itself";
    public const string NothingStuck = "nothing transitional after its bound once faults stop";
    public const string BackendsRecover = "every backend ready again once faults stop and an operator re-initializes";
    public const string DatabaseMatchesDriver = "database and driver agree on every resource";
    public const string BudgetKept = "reinit_attempts never above reinit_driver_count";
    public const string NoAttemptAfterGivingUp = "no initialization attempt after unrecoverable or gave_up until an operator asks";
    public const string CleanBackendsUnaffected = "backends without faults unaffected";
    public const string NothingLost = "no acknowledged request lost";
    public const string OneWins = "of delete ‖ snapshot at most one is accepted; of delete ‖ clone both only when the clone ends available";
}
