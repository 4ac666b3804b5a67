using System.Diagnostics.Metrics;
using Kiln.Server.Configuration;
using Kiln.Server.Services;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Kiln.Server.Telemetry;

/// <summary>Registers Kiln's metrics with OpenTelemetry and serves them in Prometheus format at <c>/metrics</c>.</summary>
internal static class TelemetrySetup
{
    public const string ScrapePath = "/metrics";

    // OpenTelemetry keeps at most CardinalityLimit series per instrument (2000 by default) and folds the
    // rest into one overflow series, so the limits grow with the number of backends. Pool instruments
    // allow for up to 4 pools per backend; 8 covers the 7 states, or the 7 volume statuses, plus one.
    private const int PerLabelSet = 8;
    private const int PoolsPerBackend = 4;
    private const int CapacityKinds = 4;
    private const int Spare = 64;

    /// <summary>The metric instruments and the OpenTelemetry pipeline; call before the hosted services that start the backends.</summary>
    public static IServiceCollection AddKilnTelemetry(this IServiceCollection services, KilnConfiguration configuration)
    {
        services.AddSingleton<VolumeCountCache>();
        services.AddSingleton<BackendMetrics>();
        services.AddSingleton<PoolMetrics>();
        services.AddSingleton<DriverHostMetrics>();
        var backends = configuration.Backends.Count;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("kiln", serviceInstanceId: configuration.Host))
            .WithMetrics(metrics => metrics
                .AddMeter(MetricNames.Meter)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(prometheus =>
                {
                    prometheus.ScrapeEndpointPath = ScrapePath;

                    // Scope labels would repeat otel_scope_name="Kiln" on every one of thousands of series.
                    prometheus.ScopeInfoEnabled = false;
                }));
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ownMeters = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => StreamFor(instrument, ownMeters, backends));
        });
        return services;
    }

    /// <summary>
    /// Starts the metric subscriptions (register before the backend loops, so no transition is missed)
    /// and warms the volume counts as the last database start-up step.
    /// </summary>
    public static IServiceCollection AddKilnTelemetryStart(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<BackendMetrics>());
        services.AddHostedService(sp => sp.GetRequiredService<DriverHostMetrics>());
        services.AddSingleton<IDatabaseStartupStep>(sp => sp.GetRequiredService<PoolMetrics>());
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c>; scrapes are left out of the HTTP request metrics they report.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(ScrapePath).DisableHttpMetrics();
        return app;
    }

    private static MetricStreamConfiguration? StreamFor(Instrument instrument, IMeterFactory ownMeters, int backends)
    {
        // A meter belongs to the IMeterFactory of one application, but a listener hears the meters of every
        // application in the process (several test servers, or a host embedding Kiln): keep only our own.
        if (instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, ownMeters))
        {
            return MetricStreamConfiguration.Drop;
        }

        return instrument.Meter.Name == MetricNames.Meter
            ? new MetricStreamConfiguration { CardinalityLimit = Math.Max(2000, CardinalityLimit(instrument.Name, backends)) }
            : null;
    }

    private static int CardinalityLimit(string instrument, int backends) => instrument switch
    {
        MetricNames.BackendState => (backends * PerLabelSet) + Spare,
        MetricNames.InitAttempts => (backends * Enum.GetValues<Core.Lifecycle.InitOutcome>().Length) + Spare,
        MetricNames.PoolCapacity => (backends * PoolsPerBackend * CapacityKinds) + Spare,
        MetricNames.Volumes => (((backends * PoolsPerBackend) + 1) * PerLabelSet) + Spare,
        _ => backends + Spare,
    };
}
