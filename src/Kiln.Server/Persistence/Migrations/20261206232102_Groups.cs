using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiln.Server.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Groups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "group_id",
                table: "volumes",
                type: "TEXT",
                maxLength: 36,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "group_snapshot_id",
                table: "snapshots",
                type: "TEXT",
                maxLength: 36,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "group_snapshots",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    group_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    group_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    error_reason = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_snapshots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "group_types",
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
                    table.PrimaryKey("pk_group_types", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    availability_zone = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    group_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    group_snapshot_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    source_group_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    error_reason = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "group_type_specs",
                columns: table => new
                {
                    group_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_type_specs", x => new { x.group_type_id, x.key });
                    table.ForeignKey(
                        name: "fk_group_type_specs_group_types_group_type_id",
                        column: x => x.group_type_id,
                        principalTable: "group_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "group_volume_type_mapping",
                columns: table => new
                {
                    group_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    volume_type_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_volume_type_mapping", x => new { x.group_id, x.volume_type_id });
                    table.ForeignKey(
                        name: "fk_group_volume_type_mapping_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_volumes_group_id",
                table: "volumes",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_group_snapshot_id",
                table: "snapshots",
                column: "group_snapshot_id");

            migrationBuilder.CreateIndex(
                name: "ix_group_snapshots_group_id",
                table: "group_snapshots",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_group_snapshots_project_id_created_at",
                table: "group_snapshots",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_group_types_name",
                table: "group_types",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_group_volume_type_mapping_volume_type_id",
                table: "group_volume_type_mapping",
                column: "volume_type_id");

            migrationBuilder.CreateIndex(
                name: "ix_groups_group_type_id",
                table: "groups",
                column: "group_type_id");

            migrationBuilder.CreateIndex(
                name: "ix_groups_host",
                table: "groups",
                column: "host");

            migrationBuilder.CreateIndex(
                name: "ix_groups_project_id_created_at",
                table: "groups",
                columns: new[] { "project_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "group_snapshots");

            migrationBuilder.DropTable(
                name: "group_type_specs");

            migrationBuilder.DropTable(
                name: "group_volume_type_mapping");

            migrationBuilder.DropTable(
                name: "group_types");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropIndex(
                name: "ix_volumes_group_id",
                table: "volumes");

            migrationBuilder.DropIndex(
                name: "ix_snapshots_group_snapshot_id",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "group_id",
                table: "volumes");

            migrationBuilder.DropColumn(
                name: "group_snapshot_id",
                table: "snapshots");
        }
    }
}
