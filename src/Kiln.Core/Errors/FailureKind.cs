namespace Kiln.Core.Errors;

/// <summary>What re-initialization may do about a failure.</summary>
public enum FailureKind
{
    /// <summary>Retry on the backoff schedule while budget remains.</summary>
    Recoverable,

    /// <summary>Never retry automatically; only an operator's manual re-init tries again.</summary>
    Unrecoverable,
}
