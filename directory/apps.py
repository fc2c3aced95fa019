from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire des clusters")

    def ready(self):
        # The project uses SimpleAdminConfig (no autodiscovery: see settings), so the
        # admin registrations are imported here.
        from directory import admin  # noqa: F401
        from directory import signals  # noqa: F401  (keeps the search columns true)
        from directory.caching import connect_receivers

        connect_receivers()  # any write to directory data makes cached pages stale
