using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QosTypeAccessEncryptionDefaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "qos_specs_id",
                table: "volume_types",
                type: "TEXT",
                maxLength: 36,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "default_volume_types",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_default_volume_types", x => x.project_id);
                    table.ForeignKey(
                        name: "fk_default_volume_types_volume_types_volume_type_id",
                        column: x => x.volume_type_id,
                        principalTable: "volume_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "encryption",
                columns: table => new
                {
                    encryption_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    cipher = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    key_size = table.Column<int>(type: "INTEGER", nullable: true),
                    control_location = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_encryption", x => x.encryption_id);
                    table.ForeignKey(
                        name: "fk_encryption_volume_types_volume_type_id",
                        column: x => x.volume_type_id,
                        principalTable: "volume_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quality_of_service_specs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    consumer = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    specs = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quality_of_service_specs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volume_type_projects",
                columns: table => new
                {
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volume_type_projects", x => new { x.volume_type_id, x.project_id });
                    table.ForeignKey(
                        name: "fk_volume_type_projects_volume_types_volume_type_id",
                        column: x => x.volume_type_id,
                        principalTable: "volume_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_default_volume_types_volume_type_id",
                table: "default_volume_types",
                column: "volume_type_id");

            migrationBuilder.CreateIndex(
                name: "ux_encryption_volume_type_id",
                table: "encryption",
                column: "volume_type_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_quality_of_service_specs_name",
                table: "quality_of_service_specs",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_volume_type_projects_project_id",
                table: "volume_type_projects",
                column: "project_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "default_volume_types");

            migrationBuilder.DropTable(
                name: "encryption");

            migrationBuilder.DropTable(
                name: "quality_of_service_specs");

            migrationBuilder.DropTable(
                name: "volume_type_projects");

            migrationBuilder.DropColumn(
                name: "qos_specs_id",
                table: "volume_types");
        }
    }
}
