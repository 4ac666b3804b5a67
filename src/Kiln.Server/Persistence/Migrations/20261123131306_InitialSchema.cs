using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "availability_zones",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_availability_zones", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "services",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    binary = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    availability_zone = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    disabled_reason = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    driver_state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    driver_error = table.Column<string>(type: "TEXT", nullable: true),
                    reinit_attempts = table.Column<int>(type: "INTEGER", nullable: true),
                    reinit_budget = table.Column<int>(type: "INTEGER", nullable: true),
                    reinit_next_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    driver_state_since = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    stats = table.Column<string>(type: "TEXT", nullable: true),
                    stats_updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_services", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volume_types",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    is_public = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volume_types", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volumes",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    display_description = table.Column<string>(type: "TEXT", nullable: true),
                    size = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    availability_zone = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    snapshot_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    source_volid = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    provider_location = table.Column<string>(type: "TEXT", nullable: true),
                    error_reason = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volumes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volume_type_extra_specs",
                columns: table => new
                {
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volume_type_extra_specs", x => new { x.volume_type_id, x.key });
                    table.ForeignKey(
                        name: "fk_volume_type_extra_specs_volume_types_volume_type_id",
                        column: x => x.volume_type_id,
                        principalTable: "volume_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    volume_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    display_description = table.Column<string>(type: "TEXT", nullable: true),
                    volume_size = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    provider_location = table.Column<string>(type: "TEXT", nullable: true),
                    error_reason = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "fk_snapshots_volumes_volume_id",
                        column: x => x.volume_id,
                        principalTable: "volumes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ux_services_host_binary",
                table: "services",
                columns: new[] { "host", "binary" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_project_id_created_at",
                table: "snapshots",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_volume_id",
                table: "snapshots",
                column: "volume_id");

            migrationBuilder.CreateIndex(
                name: "ux_volume_types_name",
                table: "volume_types",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_volumes_host",
                table: "volumes",
                column: "host");

            migrationBuilder.CreateIndex(
                name: "ix_volumes_project_id_created_at",
                table: "volumes",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_volumes_volume_type_id",
                table: "volumes",
                column: "volume_type_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "availability_zones");

            migrationBuilder.DropTable(
                name: "services");

            migrationBuilder.DropTable(
                name: "snapshots");

            migrationBuilder.DropTable(
                name: "volume_type_extra_specs");

            migrationBuilder.DropTable(
                name: "volumes");

            migrationBuilder.DropTable(
                name: "volume_types");
        }
    }
}
