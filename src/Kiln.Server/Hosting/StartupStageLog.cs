namespace Kiln.Server.Hosting;

/// <summary>
/// Marks one named start-up stage in the log as the host reaches it. Hosted services start in
/// registration order, so these markers between the groups make the order (database → messaging →
/// roles → listeners) visible, and a failure shows which stage it stopped in.
/// </summary>
internal sealed partial class StartupStageLog(int number, string stage, Func<string> detail, ILogger logger) : IHostedService
{
    public const int Stages = 4;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log(logger, number, Stages, stage, detail());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The last stage, logged when the listeners are up.</summary>
    public static void Listeners(ILogger logger, string addresses) => Log(logger, Stages, Stages, "listeners", addresses);

    [LoggerMessage(2620, LogLevel.Information, "Start-up stage {Number}/{Stages} {Stage}: {Detail}")]
    private static partial void Log(ILogger logger, int number, int stages, string stage, string detail);
}
