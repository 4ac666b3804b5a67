using System.Text.RegularExpressions;
using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// <c>volumes.host</c> is indexed (<c>ix_volumes_host</c>, since the first migration of each engine): the pool
/// room's sum and the per-backend queries (a backend's start-up clean-up, its listing) are served by it rather
/// than reading every volume, and the per-backend range matches exactly the backend and its pools.
/// </summary>
public partial class HostIndexTests
{
    /// <summary>The engine these tests run on; <see cref="HostIndexPostgreSqlTests"/> runs them on PostgreSQL.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListByBackend_TrickyHosts_ExactlyTheBackendAndItsPools()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        string[] hosts = ["node@b", "node@b#p", "node@b#", "node@b#p#q", "node@bb#p", "node@b$", "node@b_#p", "node@B#p", "node@a#p", "node@b"];
        for (var i = 0; i < hosts.Length; i++)
        {
            await database.Volumes.AddAsync(Samples.Volume($"v{i}", host: hosts[i]), Cancel);
        }

        await database.Volumes.AddAsync(Samples.Volume("unplaced", host: null), Cancel);

        var found = (await database.Volumes.ListByBackendAsync("node@b", Cancel)).Select(v => v.Host).ToList();

        found.ShouldBe(["node@b", "node@b#p", "node@b#", "node@b#p#q", "node@b"], ignoreOrder: true);
    }

    [Fact]
    public async Task PoolSumAndBackendQuery_Planned_UseTheHostIndex()
    {
        await using var database = await TestDatabase.CreateAsync(Engine);
        var contexts = database.Services.GetRequiredService<IDbContextFactory<KilnDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Cancel);
        var pool = "node@b#p";
        var onBackend = EfVolumeRepository.OnBackend(db.Volumes, "node@b").Select(v => v.Id);
        var poolRows = db.Volumes.Where(v => v.Host == pool).Select(v => v.Size);

        foreach (var query in new[] { onBackend.ToQueryString(), poolRows.ToQueryString() })
        {
            var plan = string.Join("\n", await PlanAsync(database, query));
            plan.ShouldContain("ix_volumes_host", customMessage: $"{query}\n{plan}");
        }
    }

    /// <summary>The engine's plan for <paramref name="query"/> (EF's text of it, with its parameters written in as literals).</summary>
    private static Task<List<string?>> PlanAsync(TestDatabase database, string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var sql = new List<string>();
        foreach (var line in query.Split('\n'))
        {
            // SQLite: ".param set @name 'value'"; Npgsql: "-- @name='value'" (with a type after it on newer versions).
            if (Parameter().Match(line) is { Success: true } match)
            {
                values[match.Groups["name"].Value] = match.Groups["value"].Value;
            }
            else
            {
                sql.Add(line);
            }
        }

        var text = string.Join("\n", sql);
        foreach (var (name, value) in values.OrderByDescending(v => v.Key.Length))
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }

        return ExplainAsync(database, text);
    }

    private static async Task<List<string?>> ExplainAsync(TestDatabase database, string sql)
    {
        await using System.Data.Common.DbConnection connection = database.PostgreSqlConnectionString is { } pg
            ? new Npgsql.NpgsqlConnection(pg)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.DatabasePath}");
        await connection.OpenAsync(Cancel);
        if (database.Engine == TestEngine.PostgreSql)
        {
            // A table this small is read whole by PostgreSQL's planner whatever its indexes; forbidding that shows whether one serves.
            await using var set = connection.CreateCommand();
            set.CommandText = "SET enable_seqscan = off";
            await set.ExecuteNonQueryAsync(Cancel);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = (database.Engine == TestEngine.PostgreSql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var lines = new List<string?>();
        while (await reader.ReadAsync(Cancel))
        {
            // SQLite's plan is in its last column (detail), PostgreSQL's in its only one.
            lines.Add(Convert.ToString(reader.GetValue(reader.FieldCount - 1), System.Globalization.CultureInfo.InvariantCulture));
        }

        return lines;
    }

    [GeneratedRegex(@"^(?:\.param set |-- )(?<name>@\w+)[ =](?<value>'[^']*')")]
    private static partial Regex Parameter();
}

/// <summary><see cref="HostIndexTests"/> on PostgreSQL.</summary>
public sealed class HostIndexPostgreSqlTests : HostIndexTests
{
    protected override TestEngine Engine => TestEngine.PostgreSql;
}
