using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VolumeAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "volume_attachment",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    volume_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    instance_uuid = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    attached_host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    mountpoint = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    attach_time = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    detach_time = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    attach_status = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    attach_mode = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    connection_info = table.Column<string>(type: "TEXT", nullable: true),
                    connector = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volume_attachment", x => x.id);
                    table.ForeignKey(
                        name: "fk_volume_attachment_volumes_volume_id",
                        column: x => x.volume_id,
                        principalTable: "volumes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_volume_attachment_volume_id",
                table: "volume_attachment",
                column: "volume_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "volume_attachment");
        }
    }
}
