using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
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
                type: "TEXT",
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
