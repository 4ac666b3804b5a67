using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault;

/// <summary>
/// Appends <c>&lt;unix-ms&gt; &lt;method&gt;</c> lines to <c>fault_call_log</c>. Several drivers (one per
/// re-initialization attempt, one per backend) may share a file, so each path has one process-wide lock
/// and each line is written with a single append.
/// </summary>
internal static class CallLog
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public static async Task AppendAsync(string path, TimeProvider timeProvider, string method, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var gate = Locks.GetOrAdd(fullPath, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Timestamp taken under the lock so lines in one file are in time order.
            var millis = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var line = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{millis} {method}\n"));
            var stream = new FileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite,
                BufferSize = 0,
            });
            await using (stream.ConfigureAwait(false))
            {
                // Not cancellable once the lock is held: a line is written whole or not at all.
                await stream.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FaultOptions.CallLog} {path}: cannot append: {ex.Message}", ex);
        }
        finally
        {
            gate.Release();
        }
    }
}
