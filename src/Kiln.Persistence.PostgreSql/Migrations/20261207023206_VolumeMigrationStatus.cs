using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Persistence.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class VolumeMigrationStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "migration_status",
                table: "volumes",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "migration_status",
                table: "volumes");
        }
    }
}
