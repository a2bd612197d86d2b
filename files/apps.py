from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "files"
    verbose_name = _("文件")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from core.backup import stored_files
        from files import inventory, models, owners

        policy.register(models.Attachment, owners.ATTACHMENT)
        stored_files.register(inventory.stored_file_models)
