using Kiln.Core.Errors;
using Kiln.Drivers.File.Iscsi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiln.Drivers.File.Tests.Iscsi;

/// <summary>The exporter on a machine without tgt: a dependency error exactly when tgt is needed.</summary>
public sealed class TgtExporterDependencyTests : IDisposable
{
    private readonly IscsiTestBed bed = new();

    public void Dispose() => bed.Dispose();

    [Fact]
    public async Task ExportAsync_TgtadmMissing_DriverDependencyExceptionNamingTgt()
    {
        var (id, path) = bed.NewVolume();

        var ex = await Should.ThrowAsync<DriverDependencyException>(() => Exporter().ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("tgtadm was not found");
        ex.Message.ShouldContain("apt-get install tgt");
    }

    [Fact]
    public async Task RestoreExportsAsync_TgtadmMissingWithExportsRecorded_DriverDependencyException()
    {
        var (id, path) = bed.NewVolume();
        bed.WriteState(new ExportRecord(id, path, $"iqn.2010-10.org.openstack:volume-{id}", 1, "user", "password"));

        var ex = await Should.ThrowAsync<DriverDependencyException>(() => Exporter().RestoreExportsAsync(TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("tgtadm was not found");
    }

    [Fact]
    public async Task ExportAsync_TgtadmMissing_NothingRecorded()
    {
        var (id, path) = bed.NewVolume();

        await Should.ThrowAsync<DriverDependencyException>(() => Exporter().ExportAsync(id, path, Initiator.Connector, TestContext.Current.CancellationToken));

        // A failed export must not reappear at the next restore.
        await Exporter().RestoreExportsAsync(TestContext.Current.CancellationToken);
        (await System.IO.File.ReadAllTextAsync(Path.Combine(bed.VolumesDirectory, "iscsi-exports.json"), TestContext.Current.CancellationToken)).ShouldNotContain(id);
    }

    [Fact]
    public async Task RestoreExportsAsync_TgtadmMissingAndNothingRecorded_Succeeds()
    {
        await Exporter().RestoreExportsAsync(TestContext.Current.CancellationToken);

        System.IO.File.Exists(Path.Combine(bed.VolumesDirectory, "iscsi-exports.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task RemoveExportAsync_TgtadmMissingAndNeverExported_Succeeds() =>
        await Exporter().RemoveExportAsync(Guid.NewGuid().ToString(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task RestoreExportsAsync_UnreadableStateFile_RecoverableDriverExceptionNamingTheFile()
    {
        var stateFile = Path.Combine(bed.VolumesDirectory, "iscsi-exports.json");
        await System.IO.File.WriteAllTextAsync(stateFile, "{ not json", TestContext.Current.CancellationToken);

        var ex = await Should.ThrowAsync<DriverException>(() => Exporter().RestoreExportsAsync(TestContext.Current.CancellationToken));

        ex.Message.ShouldContain(stateFile);
        DriverErrorClassifier.Classify(ex).ShouldBe(FailureKind.Recoverable);
    }

    private TgtExporter Exporter() =>
        new(TgtSettings.Parse(IscsiTestBed.Context(new Dictionary<string, string>()).Options), bed.VolumesDirectory, NullLogger.Instance, "/nonexistent/tgtadm");
}
