using System.Text.Json;
using Kiln.Core.Errors;

namespace Kiln.Drivers.Fault;

/// <summary>
/// The <c>fault_state_file</c>: a JSON copy of one backend's volumes and snapshots, rewritten after
/// every change. It lets the backend keep its volumes across a restart of Kiln, as a real array
/// does (a crash test would otherwise see every volume vanish from the "storage"), and lets a test
/// or an operator read what the driver holds, to compare it with the database.
/// </summary>
/// <remarks>
/// Shape: <c>{"volumes": {"&lt;id&gt;": size_gb}, "snapshots": {"&lt;id&gt;": {"volume_id": "&lt;id&gt;", "size_gb": n}}}</c>.
/// Written to a temporary file and renamed over the old one, so a reader (or a kill -9) never sees half a file.
/// </remarks>
internal sealed class VolumeStoreFile(string path)
{
    public string Path { get; } = path;

    /// <summary>Reads the file; a missing file is an empty store.</summary>
    public (Dictionary<string, int> Volumes, Dictionary<string, (string VolumeId, int SizeGb)> Snapshots) Load()
    {
        var volumes = new Dictionary<string, int>(StringComparer.Ordinal);
        var snapshots = new Dictionary<string, (string VolumeId, int SizeGb)>(StringComparer.Ordinal);
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (volumes, snapshots);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FaultOptions.StateFile} {Path}: cannot read: {ex.Message}", ex);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var volume in document.RootElement.GetProperty("volumes").EnumerateObject())
            {
                volumes.Add(volume.Name, volume.Value.GetInt32());
            }

            foreach (var snapshot in document.RootElement.GetProperty("snapshots").EnumerateObject())
            {
                snapshots.Add(snapshot.Name, (snapshot.Value.GetProperty("volume_id").GetString()!, snapshot.Value.GetProperty("size_gb").GetInt32()));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            // A file Kiln did not write is an operator's mistake to fix, not something to guess at.
            throw new DriverConfigurationException($"{FaultOptions.StateFile} {Path}: not a fault driver state file: {ex.Message}", ex);
        }

        return (volumes, snapshots);
    }

    /// <summary>Replaces the file with the given content in one rename.</summary>
    public void Save(IReadOnlyDictionary<string, int> volumes, IEnumerable<(string Id, string VolumeId, int SizeGb)> snapshots)
    {
        var temp = Path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("volumes");
                foreach (var (id, sizeGb) in volumes)
                {
                    writer.WriteNumber(id, sizeGb);
                }

                writer.WriteEndObject();
                writer.WriteStartObject("snapshots");
                foreach (var (id, volumeId, sizeGb) in snapshots)
                {
                    writer.WriteStartObject(id);
                    writer.WriteString("volume_id", volumeId);
                    writer.WriteNumber("size_gb", sizeGb);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DriverException($"{FaultOptions.StateFile} {Path}: cannot write: {ex.Message}", ex);
        }
    }
}
