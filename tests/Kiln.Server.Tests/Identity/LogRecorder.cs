using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kiln.Server.Tests.Identity;

/// <summary>One log line as an operator would read it, with its exception.</summary>
internal sealed record LogLine(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

/// <summary>Keeps every log line of every category, Trace and up.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public IReadOnlyList<LogLine> WithId(int eventId) => [.. lines.Where(l => l.EventId == eventId)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
