using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kiln.Persistence.PostgreSql.Migrations
{
    /// <summary>Kiln's whole schema on PostgreSQL, as SQLite's migrations up to VolumeAttachments built it.</summary>
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "availability_zones",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_availability_zones", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "group_snapshots",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    group_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    group_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_snapshots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "group_types",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    is_public = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_types", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    availability_zone = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    group_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    group_snapshot_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    source_group_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    error_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    resource_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    resource_uuid = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    event_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    message_level = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    user_message = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    expires_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quality_of_service_specs",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    consumer = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    specs = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quality_of_service_specs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quota_classes",
                columns: table => new
                {
                    class_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    resource = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    hard_limit = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_classes", x => new { x.class_name, x.resource });
                });

            migrationBuilder.CreateTable(
                name: "quota_locks",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_locks", x => x.project_id);
                });

            migrationBuilder.CreateTable(
                name: "quota_reservations",
                columns: table => new
                {
                    volume_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    gigabytes = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quota_reservations", x => x.volume_id);
                });

            migrationBuilder.CreateTable(
                name: "quotas",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    resource = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    hard_limit = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quotas", x => new { x.project_id, x.resource });
                });

            migrationBuilder.CreateTable(
                name: "services",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    binary = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    availability_zone = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    disabled = table.Column<bool>(type: "boolean", nullable: false),
                    disabled_reason = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    frozen = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    driver_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    driver_error = table.Column<string>(type: "text", nullable: true),
                    reinit_attempts = table.Column<int>(type: "integer", nullable: true),
                    reinit_budget = table.Column<int>(type: "integer", nullable: true),
                    reinit_next_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    driver_state_since = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    stats = table.Column<string>(type: "text", nullable: true),
                    stats_updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_services", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "transfers",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    volume_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    display_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    salt = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    crypt_hash = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    expires_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    no_snapshots = table.Column<bool>(type: "boolean", nullable: false),
                    source_project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    destination_project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    accepted = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transfers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volume_types",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    is_public = table.Column<bool>(type: "boolean", nullable: false),
                    qos_specs_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volume_types", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "volumes",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    display_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    display_description = table.Column<string>(type: "text", nullable: true),
                    size = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    availability_zone = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    snapshot_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    source_volid = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    group_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    provider_location = table.Column<string>(type: "text", nullable: true),
                    error_reason = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "text", nullable: false),
                    bootable = table.Column<bool>(type: "boolean", nullable: false),
                    admin_metadata = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_volumes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "group_type_specs",
                columns: table => new
                {
                    group_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
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
                    group_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "default_volume_types",
                columns: table => new
                {
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
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
                    encryption_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    provider = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    cipher = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    key_size = table.Column<int>(type: "integer", nullable: true),
                    control_location = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
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
                name: "volume_type_extra_specs",
                columns: table => new
                {
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    value = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false)
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
                name: "volume_type_projects",
                columns: table => new
                {
                    volume_type_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false)
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

            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    project_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    volume_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    display_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    display_description = table.Column<string>(type: "text", nullable: true),
                    volume_size = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    group_snapshot_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    provider_location = table.Column<string>(type: "text", nullable: true),
                    error_reason = table.Column<string>(type: "text", nullable: true),
                    metadata = table.Column<string>(type: "text", nullable: false),
                    progress = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
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

            migrationBuilder.CreateTable(
                name: "volume_attachment",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    volume_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    instance_uuid = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    attached_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    mountpoint = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    attach_time = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    detach_time = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true),
                    attach_status = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    attach_mode = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true),
                    connection_info = table.Column<string>(type: "text", nullable: true),
                    connector = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: false),
                    updated_at = table.Column<string>(type: "character varying(28)", maxLength: 28, nullable: true)
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
                name: "ix_default_volume_types_volume_type_id",
                table: "default_volume_types",
                column: "volume_type_id");

            migrationBuilder.CreateIndex(
                name: "ux_encryption_volume_type_id",
                table: "encryption",
                column: "volume_type_id",
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_messages_expires_at",
                table: "messages",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_messages_project_id_created_at",
                table: "messages",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_quality_of_service_specs_name",
                table: "quality_of_service_specs",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_quota_reservations_project_id",
                table: "quota_reservations",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ux_services_host_binary",
                table: "services",
                columns: new[] { "host", "binary" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_group_snapshot_id",
                table: "snapshots",
                column: "group_snapshot_id");

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_project_id_created_at",
                table: "snapshots",
                columns: new[] { "project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_volume_id",
                table: "snapshots",
                column: "volume_id");

            migrationBuilder.CreateIndex(
                name: "ix_transfers_source_project_id_created_at",
                table: "transfers",
                columns: new[] { "source_project_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_transfers_volume_id",
                table: "transfers",
                column: "volume_id");

            migrationBuilder.CreateIndex(
                name: "ix_volume_attachment_volume_id",
                table: "volume_attachment",
                column: "volume_id");

            migrationBuilder.CreateIndex(
                name: "ix_volume_type_projects_project_id",
                table: "volume_type_projects",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ux_volume_types_name",
                table: "volume_types",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_volumes_group_id",
                table: "volumes",
                column: "group_id");

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

            // Volume type names are unique ignoring case (Cinder's MySQL collation), as SQLite's
            // CaseInsensitiveTypeNames migration makes them: an index EF Core cannot model.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_volume_types_name_lower ON volume_types (lower(name))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "availability_zones");

            migrationBuilder.DropTable(
                name: "default_volume_types");

            migrationBuilder.DropTable(
                name: "encryption");

            migrationBuilder.DropTable(
                name: "group_snapshots");

            migrationBuilder.DropTable(
                name: "group_type_specs");

            migrationBuilder.DropTable(
                name: "group_volume_type_mapping");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "quality_of_service_specs");

            migrationBuilder.DropTable(
                name: "quota_classes");

            migrationBuilder.DropTable(
                name: "quota_locks");

            migrationBuilder.DropTable(
                name: "quota_reservations");

            migrationBuilder.DropTable(
                name: "quotas");

            migrationBuilder.DropTable(
                name: "services");

            migrationBuilder.DropTable(
                name: "snapshots");

            migrationBuilder.DropTable(
                name: "transfers");

            migrationBuilder.DropTable(
                name: "volume_attachment");

            migrationBuilder.DropTable(
                name: "volume_type_extra_specs");

            migrationBuilder.DropTable(
                name: "volume_type_projects");

            migrationBuilder.DropTable(
                name: "group_types");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropTable(
                name: "volumes");

            migrationBuilder.DropTable(
                name: "volume_types");
        }
    }
}
