namespace Kiln.Core.Volumes;

/// <summary>Cinder's <c>migration_status</c> values that Kiln sets.</summary>
public static class MigrationStatuses
{
    /// <summary>The copy to the destination backend is under way.</summary>
    public const string Migrating = "migrating";

    /// <summary>The volume lives on the destination now.</summary>
    public const string Success = "success";

    /// <summary>The migration failed; the volume stayed, usable, on its source backend.</summary>
    public const string Error = "error";
}
