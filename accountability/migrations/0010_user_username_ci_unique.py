"""Usernames unique whatever their capitals (logging in ignores case: PortalUserManager)."""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_names_differing_only_in_capitals(apps, schema_editor):
    """Say which people to rename, rather than fail on the constraint's IntegrityError."""
    User = apps.get_model("accountability", "User")
    clashes = (
        User.objects.annotate(name=Lower("username"))
        .values("name")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
        .values_list("name", flat=True)
    )
    if clashes:
        raise RuntimeError(
            "Usernames that differ only in capitals must be renamed on the admin site before "
            f"this upgrade (logging in cannot tell them apart): {', '.join(sorted(clashes))}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0009_preset_kinds_for_organisations_without_any"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_names_differing_only_in_capitals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="已有用户名相同的人员（不区分大小写），请换一个用户名。",
            ),
        ),
    ]
