namespace Kiln.Cli.Commands.Common;

/// <summary>
/// What <c>--output json</c> prints for a delete: the id and <c>deleting</c> (accepted), <c>deleted</c>
/// (gone, with --wait) or the error status it ended in.
/// </summary>
internal sealed record DeletionRecord(string Id, string Status);
