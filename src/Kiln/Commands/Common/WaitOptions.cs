using System.CommandLine;

namespace Kiln.Cli.Commands.Common;

/// <summary><c>--wait</c> and <c>--timeout SECONDS</c> of the commands that start something slow.</summary>
internal sealed class WaitOptions
{
    public const double DefaultTimeoutSeconds = 300;

    public WaitOptions(string until)
    {
        Wait = new Option<bool>("--wait") { Description = $"Wait until {until}, showing progress; exit non-zero if it ends in error." };
        Timeout = new Option<double>("--timeout")
        {
            Description = "With --wait: give up after this many seconds (exit code 6).",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
            HelpName = "SECONDS",
            CustomParser = Parsers.Seconds("--timeout"),
        };
    }

    public Option<bool> Wait { get; }

    public Option<double> Timeout { get; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Wait);
        command.Options.Add(Timeout);
    }

    /// <summary>The timeout when <c>--wait</c> is given, else null.</summary>
    public TimeSpan? Read(ClientInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return invocation.Get(Wait) ? TimeSpan.FromSeconds(invocation.Get(Timeout)) : null;
    }
}
