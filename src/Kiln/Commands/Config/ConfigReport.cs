namespace Kiln.Cli.Commands.Config;

/// <summary>
/// The result of <c>kiln config check</c>; <c>--output json</c> prints it as-is. Notes are about valid
/// settings that mean something else in Cinder (a copied cinder.conf behaves differently here).
/// </summary>
internal sealed record ConfigReport(
    bool Valid,
    string Source,
    IReadOnlyList<BackendCheck> Backends,
    IReadOnlyList<ConfigProblem> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notes);

/// <summary>One enabled backend: its driver, and whether it would start (false: it would be unrecoverable).</summary>
internal sealed record BackendCheck(string Name, string? VolumeDriver, bool Valid);
