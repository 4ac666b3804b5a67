using System.Text.Json;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault;

/// <summary>
/// Reads the JSON control file. It is read afresh on every driver call so an operator or a test can
/// change a running backend's behaviour by rewriting the file (replace it atomically: write, then rename).
/// </summary>
internal static class ControlFile
{
    private const int MaxQuotedLength = 120;

    // One hour: long enough for any rehearsal; a longer slow call is a hang, which "ops": "hang" says.
    private const int MaxDelayMs = 3_600_000;

    private static readonly (string Text, InitFault Value)[] InitChoices =
    [
        ("ok", InitFault.Ok),
        ("transient", InitFault.Transient),
        ("config", InitFault.Config),
        ("unsupported", InitFault.Unsupported),
        ("dependency", InitFault.Dependency),
        ("hang", InitFault.Hang),
    ];

    // The value is "does this fail?".
    private static readonly (string Text, bool Value)[] OkOrFail = [("ok", false), ("fail", true)];
    private static readonly (string Text, OpsFault Value)[] OpsChoices = [("ok", OpsFault.Ok), ("fail", OpsFault.Fail), ("hang", OpsFault.Hang), ("unsupported", OpsFault.Unsupported)];

    public static FaultControl Read(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return FaultControl.AllOk;
        }

        string text;
        try
        {
            // A few hundred bytes on a local disk: read at once. The async read went through the
            // thread pool and back for every call, and every stats poll of every backend makes one
            // (9 % of an idle node's CPU with 1,000 fault backends, perf).
            cancellationToken.ThrowIfCancellationRequested();
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return FaultControl.AllOk;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FaultOptions.ControlFile} {path}: cannot read: {ex.Message}", ex);
        }

        return Parse(path, text);
    }

    public static FaultControl Parse(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"content '{Quote(text)}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, $"top-level value {Quote(root.GetRawText())} is invalid: expected a JSON object");
            }

            var control = FaultControl.AllOk;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in root.EnumerateObject())
            {
                // JsonDocument keeps duplicates; silently taking the last one would hide a typo'd edit.
                if (!seen.Add(field.Name))
                {
                    throw Invalid(path, $"\"{field.Name}\" appears more than once");
                }

                control = field.Name switch
                {
                    "init" => control with { Init = Choose(path, field, InitChoices) },
                    "ready_file" => control with { ReadyFile = PathValue(path, field) },
                    "stats" => control with { FailStats = Choose(path, field, OkOrFail) },
                    "ops" => control with { Ops = Choose(path, field, OpsChoices) },
                    "delay_ms" => control with { Delay = DelayValue(path, field) },
                    _ => throw Invalid(path, $"\"{field.Name}\" is not a known field: expected one of init, ready_file, stats, ops, delay_ms"),
                };
            }

            return control;
        }
    }

    private static T Choose<T>(string path, JsonProperty field, (string Text, T Value)[] choices)
    {
        var expected = "expected one of " + string.Join(", ", choices.Select(c => c.Text));
        if (field.Value.ValueKind == JsonValueKind.String)
        {
            var text = field.Value.GetString();
            foreach (var choice in choices)
            {
                if (string.Equals(choice.Text, text, StringComparison.Ordinal))
                {
                    return choice.Value;
                }
            }
        }

        throw InvalidField(path, field, expected);
    }

    private static TimeSpan DelayValue(string path, JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var ms) && ms is >= 0 and <= MaxDelayMs
            ? TimeSpan.FromMilliseconds(ms)
            : throw InvalidField(path, field, $"expected a whole number of milliseconds from 0 to {MaxDelayMs}");

    private static string PathValue(string path, JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() is { } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw InvalidField(path, field, "expected a non-empty path string");

    private static DriverConfigurationException InvalidField(string path, JsonProperty field, string expected) =>
        Invalid(path, $"\"{field.Name}\" = {Quote(field.Value.GetRawText())} is invalid: {expected}");

    private static DriverConfigurationException Invalid(string path, string problem, Exception? inner = null) =>
        new($"{FaultOptions.ControlFile} {path}: {problem}", inner);

    // Long content would drown the one line an operator reads in the backend's error.
    private static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "…");
}
