using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Transfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "transfers",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    volume_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    salt = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    crypt_hash = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    expires_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    no_snapshots = table.Column<bool>(type: "INTEGER", nullable: false),
                    source_project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    destination_project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    accepted = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transfers", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_source_project_id_created_at",
                table: "transfers",
                columns: new[] { "source_project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_volume_id",
                table: "transfers",
                column: "volume_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "transfers");
        }
    }
}
