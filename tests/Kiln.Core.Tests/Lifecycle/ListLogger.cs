using Microsoft.Extensions.Logging;

namespace Kiln.Core.Tests.Lifecycle;

/// <summary>Keeps every log line so tests can assert on what an operator would read.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock gate = new();
    private readonly List<(LogLevel Level, int EventId, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <summary>Runs after each line is recorded, with its event id (tests use it to act at an exact point of the loop).</summary>
    public Action<int>? OnEvent { get; set; }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (gate)
        {
            entries.Add((logLevel, eventId.Id, formatter(state, exception)));
        }

        OnEvent?.Invoke(eventId.Id);
    }
}
