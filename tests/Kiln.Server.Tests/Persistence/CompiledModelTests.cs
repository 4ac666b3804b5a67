using Kiln.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Kiln.Server.Tests.Persistence;

/// <summary>
/// Each engine's compiled model (what Kiln runs with) against the model OnModelCreating builds (what the
/// migrations are made from): a model change without eng/ef-compiled-models.sh fails here, not in production.
/// </summary>
public sealed class CompiledModelTests
{
    public static TheoryData<string> Engines => new() { "sqlite", "postgresql" };

    [Theory]
    [MemberData(nameof(Engines))]
    public void CompiledModel_IsTheModelOnModelCreatingBuilds(string engine)
    {
        using var built = new KilnDbContext(Options(engine).Options);
        using var compiled = new KilnDbContext(Options(engine).UseModel(Compiled(engine)).Options);

        var expected = Describe(built.Model.GetRelationalModel());
        expected.Count.ShouldBeGreaterThan(100);
        Describe(compiled.Model.GetRelationalModel()).ShouldBe(expected, $"the {engine} compiled model is stale: run eng/ef-compiled-models.sh");
    }

    [Fact]
    public void CompiledModels_AreEachEnginesOwn()
    {
        using var sqlite = new KilnDbContext(Options("sqlite").UseModel(Compiled("sqlite")).Options);
        using var postgresql = new KilnDbContext(Options("postgresql").UseModel(Compiled("postgresql")).Options);

        // The same tables, other column types: SQLite's model would not do for PostgreSQL.
        Describe(sqlite.Model.GetRelationalModel()).ShouldNotBe(Describe(postgresql.Model.GetRelationalModel()));
    }

    [Theory]
    [InlineData("", "Kiln.Server.Persistence.CompiledModel")]
    [InlineData("postgresql://kiln:secret@127.0.0.1:5432/kiln", "Kiln.Persistence.PostgreSql.CompiledModel")]
    public void Provider_RunsWithItsEnginesCompiledModel(string connection, string modelNamespace)
    {
        var options = new DbContextOptionsBuilder<KilnDbContext>();
        DatabaseProvider.FromConnection(connection, Path.GetTempPath()).Configure(options);
        using var db = new KilnDbContext(options.Options);

        db.Model.GetType().Namespace.ShouldBe(modelNamespace);
    }

    private static DbContextOptionsBuilder<KilnDbContext> Options(string engine) => engine == "sqlite"
        ? new DbContextOptionsBuilder<KilnDbContext>().UseSqlite("Data Source=:memory:")
        : new DbContextOptionsBuilder<KilnDbContext>().UseNpgsql("Host=127.0.0.1;Database=kiln");

    /// <summary>What the database sees of a model: tables, columns with their store types, keys, indexes, foreign keys.</summary>
    private static List<string> Describe(IRelationalModel model) =>
    [
        .. model.Tables.SelectMany(table => (IEnumerable<string>)
        [
            .. table.Columns.Select(c => $"{table.Name}.{c.Name} {c.StoreType} {(c.IsNullable ? "null" : "not null")} {c.DefaultValueSql}"),
            .. table.UniqueConstraints.Select(k => $"{table.Name} unique {k.Name} ({string.Join(", ", k.Columns.Select(c => c.Name))}) {(k.GetIsPrimaryKey() ? "primary" : "")}"),
            .. table.Indexes.Select(i => $"{table.Name} index {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}) {(i.IsUnique ? "unique" : "")} {i.Filter}"),
            .. table.ForeignKeyConstraints.Select(f => $"{table.Name} fk {f.Name} ({string.Join(", ", f.Columns.Select(c => c.Name))}) -> {f.PrincipalTable.Name} ({string.Join(", ", f.PrincipalColumns.Select(c => c.Name))}) {f.OnDeleteAction}"),
        ]).Order(StringComparer.Ordinal),
    ];

    private static IModel Compiled(string engine) => engine == "sqlite"
        ? Kiln.Server.Persistence.CompiledModel.KilnDbContextModel.Instance
        : Kiln.Persistence.PostgreSql.CompiledModel.KilnDbContextModel.Instance;
}
