namespace Kiln.Cli.Output;

/// <summary><c>--output</c>: tables for people, JSON for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}
