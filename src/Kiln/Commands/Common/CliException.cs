namespace Kiln.Cli.Commands.Common;

/// <summary>An expected failure: printed as one line <c>kiln: message</c> on stderr, and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this(ExitCodes.Unexpected, "the command failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Unexpected, message)
    {
    }

    public CliException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Unexpected;
    }

    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
