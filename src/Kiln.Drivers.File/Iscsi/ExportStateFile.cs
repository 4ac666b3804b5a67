using System.Text.Json;
using System.Text.Json.Serialization;
using Kiln.Core.Errors;

namespace Kiln.Drivers.File.Iscsi;

/// <summary>
/// The exports of one backend in <c>iscsi-exports.json</c> in its volumes directory. Written whole to a
/// temporary file and renamed over the old one, so a crash leaves the old or the new file, never half
/// of one. Readable by its owner only: it holds CHAP secrets.
/// </summary>
internal sealed class ExportStateFile(string path)
{
    public const string FileName = "iscsi-exports.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Path => path;

    public static ExportStateFile In(string volumesDirectory) => new(System.IO.Path.Combine(volumesDirectory, FileName));

    public async Task<Dictionary<string, ExportRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(path))
        {
            return new Dictionary<string, ExportRecord>(StringComparer.Ordinal);
        }

        try
        {
            var stream = System.IO.File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var state = await JsonSerializer.DeserializeAsync<State>(stream, Json, cancellationToken).ConfigureAwait(false);
                return (state?.Exports ?? []).ToDictionary(e => e.VolumeId, StringComparer.Ordinal);
            }
        }
        catch (JsonException ex)
        {
            throw new DriverException($"The iSCSI export records in {path} cannot be read: {ex.Message}", ex);
        }
    }

    public async Task WriteAsync(IEnumerable<ExportRecord> exports, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                var state = new State([.. exports.OrderBy(e => e.VolumeId, StringComparer.Ordinal)]);
                await JsonSerializer.SerializeAsync(stream, state, Json, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            System.IO.File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            System.IO.File.Delete(temporary);
            throw new DriverException($"The iSCSI export records cannot be written to {path}: {ex.Message}", ex);
        }
    }

    private sealed record State([property: JsonPropertyName("exports")] List<ExportRecord> Exports);
}
