namespace Kiln.Core.Scheduling;

/// <summary>Reads the <c>provisioning:type</c> extra spec.</summary>
internal static class ProvisioningType
{
    public const string Key = "provisioning:type";

    /// <summary>
    /// Whether the volume type asks for thick provisioning. Anything else (thin, absent, unknown
    /// values) means thin wherever the pool supports it, as in Cinder; case is forgiven.
    /// </summary>
    public static bool IsThickRequested(IReadOnlyDictionary<string, string> extraSpecs) =>
        extraSpecs.TryGetValue(Key, out var type) && string.Equals(type?.Trim(), "thick", StringComparison.OrdinalIgnoreCase);
}
