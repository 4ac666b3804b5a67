using System.CommandLine;
using Kiln.Server.Configuration;
using Kiln.Server.Hosting;
using Kiln.Server.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Cli;

/// <summary><c>kiln serve [--config PATH] [--log-format text|json] [--roles api,scheduler,volume]</c>: runs the API, scheduler and volume roles, or some of them.</summary>
internal static class ServeCommand
{
    /// <summary>Exit code for a configuration that stops start-up.</summary>
    public const int ConfigurationError = 2;

    public const string Name = "serve";

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c")
        {
            Description = "Path to kiln.conf (INI). Without it Kiln runs on its embedded defaults.",
        };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = "Log lines as human-readable text or one JSON object per line; overrides log_format in kiln.conf.",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var roles = new Option<string>("--roles")
        {
            Description = "Roles this process runs: a comma-separated list of api, scheduler, volume (default all three). A subset needs transport_url (RabbitMQ).",
            DefaultValueFactory = _ => "api,scheduler,volume",
        };
        var command = new Command(Name, "Run the Kiln service (API, scheduler and volume roles).") { config, logFormat, roles };
        command.SetAction(async (parse, cancellationToken) =>
        {
            KilnConfiguration configuration;
            KilnRoles serving;
            try
            {
                serving = KilnRoleNames.Parse(parse.GetValue(roles)!);
                configuration = KilnConfigurationLoader.Load(parse.GetValue(config)?.FullName, KilnConfigurationLoader.ReadEnvironment());
                if (parse.GetValue(logFormat) is { } format)
                {
                    configuration = configuration.WithLogFormat(format == "json" ? KilnLogFormat.Json : KilnLogFormat.Text);
                }
            }
            catch (KilnConfigurationException ex)
            {
                await Console.Error.WriteLineAsync($"kiln: {ex.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }

            try
            {
                await using var app = KilnApp.Build(configuration, roles: serving);
                var startup = app.Services.GetRequiredService<DatabaseStartup>();
                await app.RunAsync().ConfigureAwait(false);
                if (startup.Failure is { } failure and not OperationCanceledException)
                {
                    await Console.Error.WriteLineAsync($"kiln: cannot start: database start-up failed: {failure.Message}").ConfigureAwait(false);
                    return ConfigurationError;
                }

                return 0;
            }
            catch (KilnConfigurationException ex)
            {
                await Console.Error.WriteLineAsync($"kiln: {ex.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The expected start-up failures (port taken, state_path not writable) get one line, not a stack trace.
                await Console.Error.WriteLineAsync($"kiln: cannot start: {ex.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }
        });
        return command;
    }
}
