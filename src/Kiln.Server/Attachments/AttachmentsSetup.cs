namespace Kiln.Server.Attachments;

/// <summary>Registers the attachment services (the repository is registered with persistence).</summary>
public static class AttachmentsSetup
{
    public static IServiceCollection AddKilnAttachments(this IServiceCollection services)
    {
        services.AddSingleton<AttachmentService>();
        services.AddSingleton<LegacyAttachActions>();
        return services;
    }
}
