using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Quotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quota_classes",
                columns: table => new
                {
                    class_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    resource = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    hard_limit = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_classes", x => new { x.class_name, x.resource });
                });

            migrationBuilder.CreateTable(
                name: "quota_locks",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_locks", x => x.project_id);
                });

            migrationBuilder.CreateTable(
                name: "quota_reservations",
                columns: table => new
                {
                    volume_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    gigabytes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_reservations", x => x.volume_id);
                });

            migrationBuilder.CreateTable(
                name: "quotas",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    resource = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    hard_limit = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quotas", x => new { x.project_id, x.resource });
                });

            migrationBuilder.CreateIndex(
                name: "ix_quota_reservations_project_id",
                table: "quota_reservations",
                column: "project_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quota_classes");

            migrationBuilder.DropTable(
                name: "quota_locks");

            migrationBuilder.DropTable(
                name: "quota_reservations");

            migrationBuilder.DropTable(
                name: "quotas");
        }
    }
}
