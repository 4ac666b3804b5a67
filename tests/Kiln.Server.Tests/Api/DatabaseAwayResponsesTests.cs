using System.Net;
using Microsoft.Extensions.DependencyInjection;
using static Kiln.Server.Tests.Api.VolumeApi;

namespace Kiln.Server.Tests.Api;

/// <summary>
/// A request whose query the database server cut off (PostgreSQL shutting down, the connection lost) is
/// an outage of the database, answered 503 with Retry-After as an unreachable server is, never a 500.
/// The failover tests (tests/Kiln.Failover.Tests) saw a PostgreSQL restart answer 500 to requests in flight.
/// </summary>
public sealed class DatabaseAwayResponsesTests
{
    [Theory]
    [InlineData("57P01", "terminating connection due to administrator command")]
    [InlineData("08006", "connection failure")]
    public async Task QueryCutOffByTheServer_ServiceUnavailableWithRetryAfterNotComputeFault(string sqlState, string text)
    {
        await using var server = await TestServer.StartAsync("fast", OneBackend, configureServices: s =>
            s.AddSingleton<Kiln.Server.Messages.IUserMessageRepository>(new CutOffMessages(sqlState, text)));

        using var response = await SendAsync(server, HttpMethod.Delete, $"messages/{Guid.NewGuid()}", version: "3.3");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        (await ReadJsonAsync(response)).GetRawText().ShouldBe($$$"""{"serviceUnavailable":{"code":503,"message":"{{{Kiln.Server.Api.CinderFaults.DatabaseUnavailableMessage}}}"}}""");
    }

    /// <summary>Every call fails as EF Core's execution strategy reports a PostgreSQL error that ended the connection.</summary>
    private sealed class CutOffMessages(string sqlState, string text) : Kiln.Server.Messages.IUserMessageRepository
    {
        public Task<IReadOnlyList<Kiln.Server.Messages.UserMessage>> ListAsync(string? projectId, DateTimeOffset now, CancellationToken cancellationToken) => throw CutOff();

        public Task<Kiln.Server.Messages.UserMessage?> FindAsync(string id, CancellationToken cancellationToken) => throw CutOff();

        public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) => throw CutOff();

        private InvalidOperationException CutOff() =>
            new("An exception has been raised that is likely due to a transient failure.", new Npgsql.PostgresException(text, "FATAL", "FATAL", sqlState));
    }
}
