using System.Text.Encodings.Web;
using System.Text.Json;
using Kiln.Server.Configuration;

namespace Kiln.Server.Hosting;

/// <summary>Console logging in the format of <c>log_format</c> (or <c>kiln serve --log-format</c>), UTC timestamps either way.</summary>
internal static class LoggingSetup
{
    public static ILoggingBuilder AddKilnConsole(this ILoggingBuilder logging, KilnConfiguration configuration)
    {
        logging.ClearProviders();
        if (configuration.LogFormat == KilnLogFormat.Json)
        {
            // One object per line, for log shippers; the structured fields (Backend, OldState, NewState,
            // ErrorClass, ...) are under "State".
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                // Relaxed escaping keeps "->" and "+00:00" readable; these lines never go into HTML.
                json.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }

        logging.SetMinimumLevel(configuration.Debug ? LogLevel.Debug : LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        return logging;
    }
}
