namespace Kiln.Cli.Commands.Config;

/// <summary>The result of <c>kiln config check</c>; <c>--output json</c> prints it as-is.</summary>
internal sealed record ConfigReport(
    bool Valid,
    string Source,
    IReadOnlyList<BackendCheck> Backends,
    IReadOnlyList<ConfigProblem> Errors,
    IReadOnlyList<string> Warnings);

/// <summary>One enabled backend: its driver, and whether it would start (false: it would be unrecoverable).</summary>
internal sealed record BackendCheck(string Name, string? VolumeDriver, bool Valid);
