using System.Collections.Concurrent;
using Kiln.Core.Drivers;
using Kiln.Drivers.File.Iscsi;

namespace Kiln.Drivers.File.Tests;

/// <summary>An exporter that records each call in order and answers with a fixed iSCSI connection.</summary>
internal sealed class RecordingExporter : IIscsiExporter
{
    private readonly ConcurrentQueue<string> calls = new();

    public IReadOnlyList<string> Calls => [.. calls];

    /// <summary>Called inside RemoveExportAsync, to see what existed at that moment.</summary>
    public Action<string>? OnRemove { get; set; }

    public Task<ConnectionInfo> ExportAsync(string volumeId, string path, ConnectorInfo connector, CancellationToken cancellationToken)
    {
        calls.Enqueue($"export {volumeId} {path} {connector.Initiator}");
        return Task.FromResult(new ConnectionInfo("iscsi", new Dictionary<string, object?> { ["target_lun"] = 1 }));
    }

    public Task RemoveExportAsync(string volumeId, CancellationToken cancellationToken)
    {
        calls.Enqueue($"remove {volumeId}");
        OnRemove?.Invoke(volumeId);
        return Task.CompletedTask;
    }

    public Task RefreshSizeAsync(string volumeId, CancellationToken cancellationToken)
    {
        calls.Enqueue($"refresh {volumeId}");
        return Task.CompletedTask;
    }

    public Task RevokeAsync(string volumeId, ConnectorInfo? connector, CancellationToken cancellationToken)
    {
        calls.Enqueue($"revoke {volumeId} {connector?.Initiator}");
        OnRemove?.Invoke(volumeId);
        return Task.CompletedTask;
    }

    /// <summary>Whether the driver started the export watch.</summary>
    public bool Watching { get; private set; }

    public void StartWatching() => Watching = true;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task RestoreExportsAsync(CancellationToken cancellationToken)
    {
        calls.Enqueue("restore");
        return Task.CompletedTask;
    }
}
