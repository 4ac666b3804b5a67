namespace Kiln.Server.Quotas;

/// <summary>Whose limits: a project's (<c>quotas</c>) or a quota class's (<c>quota_classes</c>).</summary>
public readonly record struct QuotaOwner(string Name, bool IsClass)
{
    /// <summary>The class whose limits replace the kiln.conf defaults for every project.</summary>
    public const string DefaultClass = "default";

    public static QuotaOwner Project(string projectId) => new(projectId, IsClass: false);

    public static QuotaOwner Class(string className) => new(className, IsClass: true);
}
