using Spectre.Console;

namespace Kiln.Cli.Output;

/// <summary>One cell of a <see cref="FittedTable"/>: plain text (never markup) and its colour.</summary>
internal readonly record struct FittedCell(string Text, Color? Color = null)
{
    public static implicit operator FittedCell(string? text) => new(text ?? string.Empty);
}

/// <summary>
/// A table that fits a width instead of wrapping words inside cells: columns whose every cell is empty
/// are left out, no cell wraps, and the last column (a free-text message such as an error) gets what is
/// left, its cells cut with an ellipsis. When less than <see cref="MinimumMessageWidth"/> is left, the
/// messages are printed under the table instead, one line each, cut to the width. When even the other
/// columns are too wide, the <paramref name="droppable"/> ones are left out, in that order, until they fit.
/// </summary>
internal sealed class FittedTable(IReadOnlyList<string> headers, params int[] droppable)
{
    public const int MinimumMessageWidth = 20;

    // Spectre draws "| a | b |": a border and one space of padding on each side per column, plus the last border.
    private const int PerColumn = 3;

    private static readonly char[] LineBreaks = ['\r', '\n', '\t'];

    private readonly List<FittedCell[]> rows = [];

    public void AddRow(params FittedCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headers.Count)
        {
            throw new ArgumentException($"{cells.Length} cells for {headers.Count} columns", nameof(cells));
        }

        // One line per row: a message with a line break (a tool's output in a driver error) would break the table.
        rows.Add([.. cells.Select(c => c with { Text = string.Join(' ', c.Text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries)) })]);
    }

    /// <summary>Writes the table, and the messages that did not fit in it.</summary>
    /// <param name="output">Where to write; its <see cref="CliOutput.FitWidth"/> is the width to fit.</param>
    /// <param name="key">The column that names a row, shown before its message when messages go under the table.</param>
    public void Write(CliOutput output, int key)
    {
        ArgumentNullException.ThrowIfNull(output);
        var width = output.FitWidth;
        var message = headers.Count - 1;
        var shown = Enumerable.Range(0, headers.Count).Where(c => c == key || rows.Any(r => r[c].Text.Length > 0)).ToList();
        int FixedWidth() => shown.Where(c => c != message).Sum(ColumnWidth) + (PerColumn * shown.Count(c => c != message)) + 1;
        foreach (var column in droppable)
        {
            if (FixedWidth() <= width)
            {
                break;
            }

            shown.Remove(column);
        }

        // The message column, when shown, adds its own border and padding.
        var room = width - FixedWidth() - PerColumn;
        var messagesBelow = shown.Contains(message) && room < Math.Min(MinimumMessageWidth, ColumnWidth(message));
        if (messagesBelow)
        {
            shown.Remove(message);
        }

        var table = output.NewTable([.. shown.Select(c => headers[c])]);
        foreach (var column in table.Columns)
        {
            column.NoWrap = true;
        }

        foreach (var row in rows)
        {
            table.AddRow([.. shown.Select(c => Render(row[c], c == message ? room : int.MaxValue))]);
        }

        output.Write(table);
        if (messagesBelow)
        {
            foreach (var row in rows.Where(r => r[message].Text.Length > 0))
            {
                output.Line(Cut($"{row[key].Text}: {row[message].Text}", width));
            }
        }
    }

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters, the last one an ellipsis when cut.</summary>
    public static string Cut(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= width ? text : width <= 1 ? "…" : string.Concat(text.AsSpan(0, width - 1), "…");
    }

    private int ColumnWidth(int column) => Math.Max(headers[column].Length, rows.Count == 0 ? 0 : rows.Max(r => r[column].Text.Length));

    private static Text Render(FittedCell cell, int width) =>
        new(Cut(cell.Text, width), cell.Color is { } color ? new Style(foreground: color) : Style.Plain);
}
