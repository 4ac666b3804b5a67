using System.Globalization;

namespace Kiln.Server.Api;

/// <summary>A volume API microversion, <c>3.x</c>.</summary>
internal readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    /// <summary>The oldest microversion Kiln serves.</summary>
    public static ApiVersion Min { get; } = new(3, 0);

    /// <summary>
    /// The newest microversion Kiln serves: Cinder Zed's. docs/api.md lists what each version means
    /// here, and the few whose feature Kiln does not have (re-imaging needs Glance) are refused there
    /// with Cinder's error for a deployment without the feature.
    /// </summary>
    public static ApiVersion Max { get; } = new(3, 70);

    /// <summary>os-services entries for volume backends carry <c>backend_state</c>.</summary>
    public static ApiVersion BackendState { get; } = new(3, 49);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// Parses <c>3.49</c> or <c>latest</c> (which means <see cref="Max"/>). Like Cinder's
    /// <c>^([1-9]\d*)\.([1-9]\d*|0)$</c>: no leading zeros (<c>03.1</c>, <c>3.01</c>), no sign, no spaces inside.
    /// </summary>
    public static bool TryParse(string text, out ApiVersion version)
    {
        version = default;
        text = text.Trim();
        if (text.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            version = Max;
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 2
            || !IsNumber(parts[0], zeroAllowed: false)
            || !IsNumber(parts[1], zeroAllowed: true)
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    /// <summary>ASCII digits without a leading zero; "0" itself only where <paramref name="zeroAllowed"/>.</summary>
    private static bool IsNumber(string part, bool zeroAllowed) =>
        part.Length > 0 && part.All(char.IsAsciiDigit) && (part[0] != '0' || (zeroAllowed && part.Length == 1));

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
