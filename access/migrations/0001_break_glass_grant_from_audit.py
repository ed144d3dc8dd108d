"""BreakGlassGrant moves from the audit app to the access app: the table stays
(`audit_breakglassgrant`), only Django's state and the content type move, so the
permissions already given keep working."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="access", model="breakglassgrant").exists():
        ContentType.objects.using(db).filter(app_label="audit", model="breakglassgrant").update(
            app_label="access"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="access", model="breakglassgrant").update(
        app_label="audit"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("casework", "0005_evaluation_face_to_face_unknown"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BreakGlassGrant",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("reason", models.TextField(verbose_name="reden")),
                        ("granted_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="toegekend op")),
                        ("expires_at", models.DateTimeField(verbose_name="vervalt op")),
                        ("client", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="break_glass_grants", to="casework.client", verbose_name="cliënt")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="break_glass_grants", to=settings.AUTH_USER_MODEL, verbose_name="gebruiker")),
                    ],
                    options={
                        "verbose_name": "noodtoegang",
                        "verbose_name_plural": "noodtoegangen",
                        "db_table": "audit_breakglassgrant",
                        "ordering": ["-granted_at"],
                        "default_permissions": ("view",),
                        "indexes": [models.Index(fields=["user", "expires_at"], name="audit_break_user_id_5f9ffa_idx")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("expires_at__gt", models.F("granted_at"))), name="breakglass_expires_after_granted")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
