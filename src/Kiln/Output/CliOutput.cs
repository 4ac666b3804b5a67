using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kiln.Cli.Output;

/// <summary>
/// Where a command writes: tables and messages (table mode) or one JSON document (json mode) on
/// stdout. Colours, box drawing and progress only when a person is watching a terminal.
/// </summary>
internal sealed class CliOutput
{
    // Redirected output is read by tools and logs: never wrap a long error message inside a cell.
    private const int RedirectedWidth = 1000;

    // Tables that fit a width (kiln service list) fit this one when no terminal says otherwise:
    // wide enough for a useful part of an error message, narrow enough to read in a log or a pager.
    private const int RedirectedFitWidth = 120;
    private const int NarrowestFitWidth = 40;

    private readonly bool interactive;
    private readonly Lazy<IAnsiConsole> stdout;
    private readonly Lazy<IAnsiConsole> stderr;

    public CliOutput(OutputFormat format, TextWriter standardOutput, TextWriter standardError, bool interactive)
    {
        Format = format;
        this.interactive = interactive;
        stdout = new Lazy<IAnsiConsole>(() => CreateConsole(standardOutput, interactive));
        stderr = new Lazy<IAnsiConsole>(() => CreateConsole(standardError, interactive));
    }

    public OutputFormat Format { get; }

    public bool IsJson => Format == OutputFormat.Json;

    /// <summary>
    /// The width a fitted table must not exceed: the terminal's, else <c>$COLUMNS</c> (so a script can ask
    /// for 80 or 200), else 120. Never below 40.
    /// </summary>
    public int FitWidth => Math.Max(NarrowestFitWidth, interactive
        ? stdout.Value.Profile.Width
        : int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : RedirectedFitWidth);

    /// <summary>Progress is for people: table mode, with both stdout and stderr on a terminal.</summary>
    public bool ShowsProgress => !IsJson && interactive;

    /// <summary>The console for progress displays (stderr, so stdout stays the command's result).</summary>
    public IAnsiConsole Progress => stderr.Value;

    /// <summary>The output of the process's own console.</summary>
    public static CliOutput ForConsole(OutputFormat format) =>
        new(format, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public void WriteJson<T>(T value) => stdout.Value.Profile.Out.Writer.WriteLine(CliJson.Serialize(value));

    public void Write(IRenderable renderable) => stdout.Value.Write(renderable);

    /// <summary>The command's result: <paramref name="value"/> as JSON, or the table <paramref name="render"/> makes of it.</summary>
    public void Show<T>(T value, Func<T, IRenderable> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (IsJson)
        {
            WriteJson(value);
        }
        else
        {
            Write(render(value));
        }
    }

    /// <summary>A result that is a sentence for people and a small object for scripts.</summary>
    public void Report<T>(T value, string message)
    {
        if (IsJson)
        {
            WriteJson(value);
        }
        else
        {
            Line(message);
        }
    }

    /// <summary>A line of plain text (not markup) in table mode; nothing in json mode, whose stdout is the document alone.</summary>
    public void Line(string text)
    {
        if (!IsJson)
        {
            stdout.Value.Write(new Text(text + Environment.NewLine));
        }
    }

    /// <summary>A table with these column headers, boxed in a terminal and plain ASCII otherwise.</summary>
    public Table NewTable(params string[] columns)
    {
        var table = new Table { Border = interactive ? TableBorder.Rounded : TableBorder.Ascii };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    /// <summary>The two-column field/value table of one resource.</summary>
    public Table NewDetailsTable(IEnumerable<(string Field, IRenderable Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = NewTable("Field", "Value");
        foreach (var (field, value) in rows)
        {
            table.AddRow(new Text(field), value);
        }

        return table;
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool interactive)
    {
        var settings = new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) };
        if (!interactive)
        {
            settings.Ansi = AnsiSupport.No;
            settings.ColorSystem = ColorSystemSupport.NoColors;
            settings.Interactive = InteractionSupport.No;
        }

        var console = AnsiConsole.Create(settings);
        if (!interactive)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
