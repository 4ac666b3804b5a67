namespace Kiln.Server.Scheduling;

/// <summary>Log lines of pool room checked in the database across nodes (extends, group placements): EventIds 3040–3069.</summary>
internal static partial class PoolRoomLog
{
    [LoggerMessage(3040, LogLevel.Information, "Extend of {VolumeId} refused on {Pool}: the database records {RecordedGb} GB on it, {GrowthGb} GB more would pass its {CeilingGb} GB")]
    public static partial void ExtendPoolFull(ILogger logger, string volumeId, string pool, long recordedGb, int growthGb, double ceilingGb);

    [LoggerMessage(3041, LogLevel.Information, "Group {GroupId} not placed on {Pool}: the database records {RecordedGb} GB on it, {NeededGb} GB more would pass its {CeilingGb} GB; trying the other pools")]
    public static partial void GroupPoolFull(ILogger logger, string groupId, string pool, long recordedGb, int neededGb, double ceilingGb);
}
