namespace Kiln.Cli.Commands.Common;

/// <summary>The exit codes of the client commands; scripts rely on them (docs/cli.md lists them).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected: a server error (5xx), an answer the client cannot read, a bug.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line cannot be used: parse errors and bad values (also an invalid kiln.conf in <c>config check</c>).</summary>
    public const int Usage = 2;

    /// <summary>The resource does not exist (HTTP 404, or no resource has the name given).</summary>
    public const int NotFound = 3;

    /// <summary>The server refused the request: HTTP 409 (conflict) or 400 (refused), or a name that matches several resources.</summary>
    public const int Conflict = 4;

    /// <summary>The server could not be reached: connection refused, name not resolved, no answer in time.</summary>
    public const int Unreachable = 5;

    /// <summary><c>--wait</c> gave up before the resource settled.</summary>
    public const int Timeout = 6;

    /// <summary>The resource settled in an error status (or a backend in a failed state).</summary>
    public const int ErrorStatus = 7;

    /// <summary>
    /// Not authenticated or not allowed: Keystone refused the credentials (401), Kiln refused the token
    /// (401) or its policy does not allow the request (403).
    /// </summary>
    public const int NotAuthorized = 8;

    /// <summary>Interrupted (Ctrl+C), as shells report a process ended by SIGINT: 128 + 2.</summary>
    public const int Interrupted = 130;
}
