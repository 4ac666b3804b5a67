using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProviderAuthAndId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "provider_auth",
                table: "volumes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_id",
                table: "volumes",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_auth",
                table: "snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_id",
                table: "snapshots",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "provider_auth",
                table: "volumes");

            migrationBuilder.DropColumn(
                name: "provider_id",
                table: "volumes");

            migrationBuilder.DropColumn(
                name: "provider_auth",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "provider_id",
                table: "snapshots");
        }
    }
}
