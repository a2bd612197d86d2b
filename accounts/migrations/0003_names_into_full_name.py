from django.db import migrations


def _is_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def join_names(first, last):
    """One name as people write it: family name first with no space for Chinese names (王晓明),
    "first last" otherwise (how core.people named people before this field existed)."""
    first, last = (first or "").strip(), (last or "").strip()
    if _is_chinese(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def names_into_full_name(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(full_name="").exclude(first_name="", last_name="").only("first_name", "last_name"):
        user.full_name = join_names(user.first_name, user.last_name)
        user.save(update_fields=["full_name"])


def full_name_back_into_first_name(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(full_name="").only("full_name"):
        user.first_name, user.last_name = user.full_name, ""
        user.save(update_fields=["first_name", "last_name"])


def adopt_content_type(apps, schema_editor):
    """auth.User's content type (and with it its permissions, add_user etc.) becomes the
    accounts.User one, instead of a second content type appearing beside it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="accounts", model="user").exists():
        ContentType.objects.filter(app_label="auth", model="user").update(app_label="accounts")


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="auth", model="user").exists():
        ContentType.objects.filter(app_label="accounts", model="user").update(app_label="auth")


class Migration(migrations.Migration):
    """Data only, in a migration of its own: PostgreSQL cannot alter a table with pending
    trigger events in the same transaction (the columns go in 0004)."""

    dependencies = [
        ("accounts", "0002_profile_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(names_into_full_name, full_name_back_into_first_name),
        migrations.RunPython(adopt_content_type, return_content_type),
    ]
