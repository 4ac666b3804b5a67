using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kiln.Server.Configuration;

/// <summary>Parsers for the kinds of global option value; each says what it expected when the text does not fit.</summary>
internal static class OptionParsers
{
    /// <summary>The longest interval accepted, which also keeps <see cref="TimeSpan.FromSeconds(double)"/> from overflowing.</summary>
    public const double MaxIntervalSeconds = 86_400;

    /// <summary>The shortest interval accepted; anything smaller would round to zero and spin a loop.</summary>
    public const double MinIntervalSeconds = 0.001;

    /// <summary>A node name usable in <c>host@backend#pool</c>.</summary>
    public static Parsed<string> HostName(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '@' or '#' or '/')
            ? Parsed<string>.Ok(text)
            : Parsed<string>.Invalid("expected a non-empty name without spaces, '@', '#' or '/'");

    /// <summary>A directory path, returned as a full path resolved against the current directory.</summary>
    public static Parsed<string> FullPath(string text)
    {
        const string Expected = "expected a directory path";
        if (text.Length == 0)
        {
            return Parsed<string>.Invalid(Expected);
        }

        try
        {
            return Parsed<string>.Ok(Path.GetFullPath(text));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Parsed<string>.Invalid(Expected);
        }
    }

    /// <summary>An IPv4 address in four dotted decimal parts, or an IPv6 address; returned in canonical form.</summary>
    public static Parsed<string> IpAddress(string text)
    {
        // IPAddress.TryParse also takes shorthand such as '8776' (0.0.34.72), '127.1' or octal '010.0.0.1';
        // an operator who writes those almost certainly meant something else.
        var plausible = text.Contains(':', StringComparison.Ordinal)
            || text.Split('.') is { Length: 4 } parts && parts.All(IsDecimalOctet);
        return plausible && System.Net.IPAddress.TryParse(text, out var address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? Parsed<string>.Ok(address.ToString())
            : Parsed<string>.Invalid("expected an IP address such as 127.0.0.1, 0.0.0.0 or ::");
    }

    /// <summary>A TCP port; 0 asks the operating system for any free port.</summary>
    public static Parsed<int> Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? Parsed<int>.Ok(port)
            : Parsed<int>.Invalid($"expected an integer between 0 and {IPEndPoint.MaxPort} (0 means any free port)");

    /// <summary>A positive number of seconds, fractions allowed, within [<see cref="MinIntervalSeconds"/>, <see cref="MaxIntervalSeconds"/>].</summary>
    public static Parsed<TimeSpan> PositiveSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && seconds >= MinIntervalSeconds && seconds <= MaxIntervalSeconds
            ? Parsed<TimeSpan>.Ok(TimeSpan.FromSeconds(seconds))
            : Parsed<TimeSpan>.Invalid(
                $"expected a number of seconds greater than 0 (between {MinIntervalSeconds.ToString(CultureInfo.InvariantCulture)} and {MaxIntervalSeconds.ToString(CultureInfo.InvariantCulture)})");

    /// <summary>true/false, yes/no, on/off or 1/0, as backend options are read.</summary>
    public static Parsed<bool> Boolean(string text) => text.ToUpperInvariant() switch
    {
        "TRUE" or "YES" or "ON" or "1" => Parsed<bool>.Ok(true),
        "FALSE" or "NO" or "OFF" or "0" => Parsed<bool>.Ok(false),
        _ => Parsed<bool>.Invalid("expected true or false"),
    };

    /// <summary>text or json (any case); <c>kiln serve --log-format</c> uses the same names.</summary>
    public static Parsed<KilnLogFormat> LogFormat(string text) => text.ToUpperInvariant() switch
    {
        "TEXT" => Parsed<KilnLogFormat>.Ok(KilnLogFormat.Text),
        "JSON" => Parsed<KilnLogFormat>.Ok(KilnLogFormat.Json),
        _ => Parsed<KilnLogFormat>.Invalid("expected text or json"),
    };

    /// <summary>Cinder's authentication strategies Kiln implements: noauth or keystone (any case).</summary>
    public static Parsed<AuthStrategy> AuthStrategy(string text) => text.ToUpperInvariant() switch
    {
        "NOAUTH" => Parsed<AuthStrategy>.Ok(Configuration.AuthStrategy.NoAuth),
        "KEYSTONE" => Parsed<AuthStrategy>.Ok(Configuration.AuthStrategy.Keystone),
        _ => Parsed<AuthStrategy>.Invalid("expected noauth or keystone"),
    };

    /// <summary>Any non-empty text.</summary>
    public static Parsed<string> NonEmpty(string text) =>
        text.Length > 0 ? Parsed<string>.Ok(text) : Parsed<string>.Invalid("expected a non-empty value");

    private static bool IsDecimalOctet(string part) =>
        part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0')
        && int.Parse(part, CultureInfo.InvariantCulture) <= 255;
}
