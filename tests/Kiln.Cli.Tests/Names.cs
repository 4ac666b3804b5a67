namespace Kiln.Cli.Tests;

/// <summary>Names no other test uses, so tests sharing one server never see each other's resources.</summary>
internal static class Names
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
