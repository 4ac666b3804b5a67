using System.Reflection;

namespace Kiln.Cli;

/// <summary>The version of this build of <c>kiln</c>, from the assembly's informational version.</summary>
internal static class CliVersion
{
    /// <summary>For example <c>1.0.0+3f2a9c1…</c> (the part after '+' is the commit when the build knows it).</summary>
    public static string Informational { get; } =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The version without build metadata, for the User-Agent.</summary>
    public static string Short { get; } = Informational.Split('+')[0];
}
