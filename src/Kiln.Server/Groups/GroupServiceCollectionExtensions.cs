using Kiln.Server.Scheduling;

namespace Kiln.Server.Groups;

/// <summary>Registers generic volume groups: the API's service, the scheduler's placement, the volume role's manager and clean-up.</summary>
internal static class GroupServiceCollectionExtensions
{
    public static IServiceCollection AddKilnGroups(this IServiceCollection services)
    {
        services.AddSingleton<GroupService>();
        services.AddSingleton<GroupPlacement>();
        services.AddSingleton<GroupManager>();
        services.AddSingleton<GroupCleaner>();
        return services;
    }
}
