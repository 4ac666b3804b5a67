namespace Kiln.Server.Quotas;

/// <summary>
/// Why an insert that consumes quota did not happen although the quota allowed it: a row it depends on
/// changed between the request's read and its write (another request won).
/// </summary>
public enum InsertConflict
{
    None,

    /// <summary>The source (the snapshot's volume, a clone's volume, a new volume's snapshot) is no longer <c>available</c>, or is gone.</summary>
    SourceNotAvailable,

    /// <summary>The volume type was deleted.</summary>
    TypeGone,
}

/// <summary>The answer of an insert that consumes quota: done when both <see cref="Conflict"/> is none and <see cref="Denial"/> is null.</summary>
public readonly record struct InsertResult(InsertConflict Conflict, string? Denial)
{
    public bool Inserted => Conflict == InsertConflict.None && Denial is null;
}
