using System.Net;
using Kiln.Core.Drivers;
using Kiln.Core.Lifecycle;
using Kiln.Core.Volumes;
using Kiln.Server.Api;
using Kiln.Server.Backends;
using Kiln.Server.Configuration;
using Kiln.Server.Dashboard;
using Kiln.Server.Groups;
using Kiln.Server.Health;
using Kiln.Server.Identity;
using Kiln.Server.Identity.Keystone;
using Kiln.Server.Messaging;
using Kiln.Server.Persistence;
using Kiln.Server.Policy;
using Kiln.Server.Scheduling;
using Kiln.Server.Services;
using Kiln.Server.Telemetry;
using Kiln.Server.Volumes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kiln.Server.Hosting;

/// <summary>Builds the <c>kiln serve</c> process: API, scheduler and volume roles on one host.</summary>
public static partial class KilnApp
{
    /// <summary>
    /// Creates the application for <paramref name="configuration"/> running <paramref name="roles"/>;
    /// <paramref name="configureServices"/> lets tests replace services.
    /// </summary>
    public static WebApplication Build(KilnConfiguration configuration, Action<IServiceCollection>? configureServices = null, KilnRoles roles = KilnRoles.All)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        KilnRoleNames.Validate(roles, configuration);
        if (!roles.HasFlag(KilnRoles.Volume))
        {
            configuration = configuration.WithoutBackends();
        }

        // Policy is configuration: a policy file that cannot be read stops start-up with its reason.
        var policy = PolicyEnforcerLoader.Load(configuration.Policy);
        Directory.CreateDirectory(configuration.StatePath);

        // Kiln reads kiln.conf, not appsettings.json, so nothing needs reloading. With reloading on,
        // the host watched the content root (the data directory, database and volumes included)
        // for changes: every SQLite commit woke a "File Watch" thread (5 % of an idle node's CPU
        // with 1,000 backends, perf).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = configuration.StatePath,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(configuration.ListenAddress), configuration.ListenPort);

            // Kestrel refuses what exceeds these before any middleware runs, with an empty body; the
            // fault handler (CinderFaults) answers in Cinder's JSON what it can see: a body over the
            // limit when the endpoint reads it, and URLs between its own limit and this one.
            kestrel.Limits.MaxRequestBodySize = configuration.Api.MaxRequestBodySize;
            kestrel.Limits.MaxRequestLineSize = CinderFaults.KestrelRequestLineLimit;
        });
        builder.Logging.AddKilnConsole(configuration);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var services = builder.Services;
        services.AddSingleton(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddKilnPersistence(configuration);
        services.AddKilnMessaging(configuration);

        // Volume role: backends, their lifecycle loops, and the manager that runs operations on them.
        services.AddBuiltInDrivers();
        services.AddSingleton<DriverCatalog>();
        services.AddSingleton<BackendCatalog>();
        services.AddSingleton<TargetDaemonView>();
        if (roles.HasFlag(KilnRoles.Volume))
        {
            services.AddSingleton<IBackendStates, LocalBackendStates>();
        }
        else
        {
            // No backends here: answer from the states the volume processes store.
            services.AddSingleton<StoredBackendStates>();
            services.AddSingleton<IBackendStates>(sp => sp.GetRequiredService<StoredBackendStates>());
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<StoredBackendStates>());
        }
        services.AddSingleton(sp => new VolumeManager(
            sp.GetRequiredService<IVolumeRepository>(),
            sp.GetRequiredService<ISnapshotRepository>(),
            host => sp.GetRequiredService<BackendCatalog>().Find(host),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<VolumeManager>>(),
            sp.GetRequiredService<IVolumeTypeSpecs>()));
        services.AddSingleton<OrphanVolumeFiles>();
        services.AddSingleton<IInterruptedCreates, QueuedCreates>();
        services.AddSingleton<TransitionalResourceCleaner>();
        services.AddSingleton<BackendResync>();
        services.AddSingleton<ITransitionalResourceCleaner, CleanupAfterDatabaseStartup>();
        services.AddKilnGroups();

        // API and scheduler roles.
        if (configuration.Identity.Keystone is { } keystone)
        {
            services.AddKeystoneTokenValidation(keystone);
            services.AddSingleton<IRequestAuthenticator, KeystoneAuthenticator>();
        }
        else
        {
            services.AddSingleton<IRequestAuthenticator, NoAuthAuthenticator>();
        }

        services.AddSingleton(policy);
        services.AddSingleton<RequestAuthorizer>();
        services.AddSingleton<VolumeService>();
        services.AddSingleton<Transfers.TransferService>();
        services.AddSingleton<VolumeCascadeDelete>();
        services.AddSingleton<VolumeRetype>();
        services.AddSingleton<VolumeMigration>();
        services.AddSingleton<VolumeRevert>();
        services.AddSingleton<VolumeConnections>();
        Attachments.AttachmentsSetup.AddKilnAttachments(services);
        services.AddSingleton<SnapshotStatusChanges>();
        services.AddSingleton<Metadata.VolumeMetadataStore>();
        services.AddSingleton<Metadata.SnapshotMetadataStore>();
        services.AddSingleton<ServiceDirectory>();
        services.AddSingleton<IFrozenBackends, FrozenBackends>();
        services.AddSingleton<PoolSource>();
        services.AddSingleton<IExtendCapacity, PoolExtendCapacity>();
        services.AddSingleton<DatabaseFileWatch>();
        services.AddSingleton<DatabaseCheck>();
        services.AddSingleton<ReadinessCheck>();
        services.AddKilnTelemetry(configuration);

        // The database start-up runs in the background, its steps in this order; requests and whatever
        // else needs the database wait for it (DatabaseStartup), so the API listens at once.
        AddStage(services, 1, "database", () => configuration.DatabaseConnection is null ? "SQLite under the data directory (schema and clean-up in the background)" : "[database] connection (schema and clean-up in the background)");
        services.AddSingleton<DatabaseStartup>();
        services.AddSingleton<IDatabaseStartupStep, SchemaAndServicesStep>();
        if (roles.HasFlag(KilnRoles.Scheduler))
        {
            services.AddSingleton<IDatabaseStartupStep, InterruptedSchedulingStep>();
            services.AddSingleton<IDatabaseStartupStep, InterruptedGroupSchedulingStep>();
        }

        services.AddHostedService<DatabaseStartupService>();
        AddStage(services, 2, "messaging", () => configuration.TransportUrl is null ? "in-process" : $"RabbitMQ at {Messaging.Rabbit.RabbitTransport.Parse(configuration.TransportUrl).Value!.Display} (connecting in the background)");

        // Then the consumers, the metric subscriptions (which add the last start-up step), the loops.
        AddStage(services, 3, "roles", () => KilnRoleNames.Format(roles));
        if (roles.HasFlag(KilnRoles.Scheduler))
        {
            services.AddHostedService<SchedulerWorker>();
        }

        if (roles.HasFlag(KilnRoles.Volume))
        {
            services.AddHostedService<VolumeWorker>();
        }

        services.AddHostedService<BackendStatePersister>();
        services.AddKilnDashboard(configuration);
        services.AddKilnTelemetryStart();
        services.AddHostedService<BackendLoopsService>();
        services.AddHostedService<ReloadOnSighup>();
        services.AddHostedService<HeartbeatService>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseOpenStackRequestId();
        app.UseMiddleware<CinderFaults>();
        app.UseKilnIdentity();
        app.UseRouting();
        app.UseDatabaseStartupGate();
        app.MapHealth();
        app.MapMetrics();
        if (roles.HasFlag(KilnRoles.Api))
        {
            app.MapVersions();
            app.MapKilnDashboard();
            var v3 = app.MapGroup("/v3/{project_id}").AddEndpointFilter<MicroversionFilter>();
            v3.MapServices();
            v3.MapVolumeApi();
        }

        app.Lifetime.ApplicationStarted.Register(() => AnnounceStart(app, configuration));
        return app;
    }

    private static void AddStage(IServiceCollection services, int number, string stage, Func<string> detail) =>
        services.AddSingleton<IHostedService>(sp => new StartupStageLog(number, stage, detail, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kiln.Startup")));

    private static void AnnounceStart(WebApplication app, KilnConfiguration configuration)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kiln");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var source = configuration.SourcePath ?? "embedded defaults (no --config given)";
        StartupStageLog.Listeners(logger, string.Join(", ", addresses));
        LogStarted(logger, string.Join(", ", addresses), configuration.StatePath, source, string.Join(", ", configuration.Backends.Select(b => $"{configuration.Host}@{b.Name}")));
        foreach (var warning in configuration.Warnings.Concat(app.Services.GetRequiredService<PolicyEnforcer>().Warnings))
        {
            LogConfigurationWarning(logger, warning);
        }
    }

    [LoggerMessage(1000, LogLevel.Information, "Kiln API listening on {Addresses}; data directory {StatePath}; configuration {Source}; backends {Backends}")]
    private static partial void LogStarted(ILogger logger, string addresses, string statePath, string source, string backends);

    [LoggerMessage(1001, LogLevel.Warning, "Configuration: {Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);
}
