namespace Kiln.Cli.Tests;

/// <summary>The exit codes docs/cli.md promises, written out here so a change to them fails the tests.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Unreachable = 5;
    public const int Timeout = 6;
    public const int ErrorStatus = 7;
    public const int NotAuthorized = 8;
}
