from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: the clock, the form base, shared template fragments, the traffic
    light's colours and the work calendar. It knows no other app of the project; every app may use it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("公共")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from core import checks, readiness, workdays  # noqa: F401  (checks: registers core.W001)
        from core.models import CalendarDay, CalendarYear

        readiness.register()

        for model in (CalendarDay, CalendarYear):
            post_save.connect(workdays.table_changed, sender=model, dispatch_uid=f"workdays-{model.__name__}-save")
            post_delete.connect(workdays.table_changed, sender=model, dispatch_uid=f"workdays-{model.__name__}-delete")
        post_migrate.connect(seed_empty_calendar, sender=self, dispatch_uid="core-seed-empty-calendar")


def seed_empty_calendar(using="default", **_kwargs):
    """After a flush (tests between transactional tests) the calendar is empty: seed it again from
    chinesecalendar, as migration 0002 did. A calendar with any year declared is left alone."""
    # Imported here: models are not ready when this module is imported.
    from core import calendar_seed, workdays
    from core.models import CalendarDay, CalendarYear

    if CalendarYear.objects.using(using).exists():
        return
    calendar_seed.seed(CalendarDay, CalendarYear)
    workdays.forget()
