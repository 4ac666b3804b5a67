namespace Kiln.Cli.Commands.Config;

/// <summary>
/// One thing that makes kiln.conf unusable: where (section and option, null when the problem is not
/// about one option, such as an unreadable file), the message Kiln itself would print or log, and what
/// it would do to <c>kiln serve</c>.
/// </summary>
internal sealed record ConfigProblem(string? Section, string? Option, string Message, string Effect);
