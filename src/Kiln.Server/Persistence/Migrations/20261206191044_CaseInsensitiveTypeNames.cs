using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <summary>
    /// Volume type names unique ignoring case, as Cinder's MySQL collation makes them: an index on
    /// lower(name), which EF Core cannot model (hence raw SQL, the same on SQLite and PostgreSQL). Types
    /// that already differ only in case keep the oldest name; each later one is renamed
    /// "<c>name (first 8 characters of its id)</c>" so that the index can be built and nothing is lost.
    /// </summary>
    public partial class CaseInsensitiveTypeNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE volume_types SET name = substr(name, 1, 240) || ' (' || substr(id, 1, 8) || ')'
                WHERE EXISTS (
                    SELECT 1 FROM volume_types AS older
                    WHERE lower(older.name) = lower(volume_types.name)
                      AND (older.created_at < volume_types.created_at OR (older.created_at = volume_types.created_at AND older.id < volume_types.id)))
                """);
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_volume_types_name_lower ON volume_types (lower(name))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ux_volume_types_name_lower");
        }
    }
}
