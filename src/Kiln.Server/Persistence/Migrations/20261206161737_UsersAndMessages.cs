using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UsersAndMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "user_id",
                table: "volumes",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "user_id",
                table: "snapshots",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    resource_type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    resource_uuid = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    event_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    message_level = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_message = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    expires_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_expires_at",
                table: "messages",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_messages_project_id_created_at",
                table: "messages",
                columns: new[] { "project_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropColumn(
                name: "user_id",
                table: "volumes");

            migrationBuilder.DropColumn(
                name: "user_id",
                table: "snapshots");
        }
    }
}
