using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kiln.Cli.Output;

/// <summary>Table cells: plain text (never parsed as markup, since names and errors are user data) and coloured states.</summary>
internal static class Cells
{
    public static IRenderable Text(string? value) => new Text(value ?? string.Empty);

    public static IRenderable Number(double? value) =>
        new Text(value?.ToString("0.##", CultureInfo.InvariantCulture) ?? string.Empty);

    public static IRenderable Map(IReadOnlyDictionary<string, string> values) =>
        new Text(string.Join(", ", values.Select(p => $"{p.Key}={p.Value}")));

    /// <summary>A backend's driver_state: ready green, degraded and initializing yellow, failed orange, gave_up and unrecoverable red.</summary>
    public static IRenderable DriverState(string? state) => Styled(state, DriverStateColor(state));

    public static Color DriverStateColor(string? state) => state switch
    {
        "ready" => Color.Green,
        "degraded" or "initializing" => Color.Yellow,
        "failed" => Color.Orange1,
        "gave_up" or "unrecoverable" => Color.Red,
        _ => Color.Grey,
    };

    /// <summary>A volume or snapshot status: available green, transitional yellow, error statuses red.</summary>
    public static IRenderable Status(string? status) => Styled(status, status switch
    {
        "available" => Color.Green,
        "creating" or "extending" or "deleting" => Color.Yellow,
        { } s when s.StartsWith("error", StringComparison.Ordinal) => Color.Red,
        _ => Color.Default,
    });

    /// <summary>A service's up/down state or enabled/disabled status.</summary>
    public static IRenderable UpDown(string? value) => Styled(value, UpDownColor(value));

    public static Color UpDownColor(string? value) => value switch
    {
        "up" or "enabled" => Color.Green,
        "down" or "disabled" => Color.Red,
        _ => Color.Default,
    };

    private static Text Styled(string? value, Color color) => new(value ?? string.Empty, new Style(foreground: color));
}
