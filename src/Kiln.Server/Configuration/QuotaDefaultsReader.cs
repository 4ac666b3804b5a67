using System.Globalization;
using Kiln.Server.Quotas;
using static Kiln.Server.Configuration.OptionNames;

namespace Kiln.Server.Configuration;

/// <summary>Reads the quota defaults from [DEFAULT]: an integer of -1 (unlimited) or more each, as Cinder's options.</summary>
internal static class QuotaDefaultsReader
{
    public static QuotaDefaults Read(SectionReader global)
    {
        var cinder = QuotaDefaults.Cinder;
        return new QuotaDefaults
        {
            Volumes = global.Read(QuotaVolumes, cinder.Volumes, Limit),
            Snapshots = global.Read(QuotaSnapshots, cinder.Snapshots, Limit),
            Gigabytes = global.Read(QuotaGigabytes, cinder.Gigabytes, Limit),
            Backups = global.Read(QuotaBackups, cinder.Backups, Limit),
            BackupGigabytes = global.Read(QuotaBackupGigabytes, cinder.BackupGigabytes, Limit),
            PerVolumeGigabytes = global.Read(PerVolumeSizeLimit, cinder.PerVolumeGigabytes, Limit),
            Groups = global.Read(QuotaGroups, cinder.Groups, Limit),
            NoSnapshotGigabytes = global.Read(NoSnapshotGbQuota, cinder.NoSnapshotGigabytes, OptionParsers.Boolean),
        };
    }

    /// <summary>An integer from -1 (unlimited) to 2147483647.</summary>
    internal static Parsed<int> Limit(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit >= QuotaResources.Unlimited
            ? Parsed<int>.Ok(limit)
            : Parsed<int>.Invalid("expected an integer of -1 (unlimited) or more");
}
