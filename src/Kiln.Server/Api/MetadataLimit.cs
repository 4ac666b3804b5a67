using Kiln.Server.Configuration;

namespace Kiln.Server.Api;

/// <summary>
/// The cap on metadata items per volume or snapshot (<c>max_metadata_items</c>). Exceeding it is 400,
/// like Cinder's other metadata size errors, not 413: 413 is Cinder's quota answer, which clients may
/// retry, and retrying never helps here.
/// </summary>
internal static class MetadataLimit
{
    /// <summary>The configured cap (<c>max_metadata_items</c>).</summary>
    public static int Max(HttpContext http) => http.RequestServices.GetRequiredService<KilnConfiguration>().Api.MaxMetadataItems;

    public static string Exceeded(int max, int count) =>
        $"Invalid metadata size: Maximum number of metadata items exceeds {max} ({count} items).";

    /// <summary>
    /// <paramref name="merged"/>, or <see cref="MetadataLimitExceededException"/> when it holds more than
    /// <paramref name="max"/> items and more than <paramref name="current"/> (a resource already over a
    /// lowered cap can still change its values or shrink). Thrown inside the conditional write, so
    /// that two merges racing each other cannot together pass the cap; nothing is written.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Enforce(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> merged, int max) =>
        merged.Count <= max || merged.Count <= current.Count ? merged : throw new MetadataLimitExceededException(Exceeded(max, merged.Count));
}

/// <summary>A metadata write would leave more than <c>max_metadata_items</c> items; the message is the 400's.</summary>
internal sealed class MetadataLimitExceededException : Exception
{
    public MetadataLimitExceededException()
        : base("Invalid metadata size: too many metadata items.")
    {
    }

    public MetadataLimitExceededException(string message)
        : base(message)
    {
    }

    public MetadataLimitExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
