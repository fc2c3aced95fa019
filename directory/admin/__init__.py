"""The staff admin. Registrations live in one module per part of the domain.

The project uses SimpleAdminConfig (see settings), and directory.apps imports this package
in ready(): importing a module here is what registers its models.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from directory.admin import auth, clusters, geography, members, programmes  # noqa: F401
from directory.admin import imports  # noqa: F401

admin.site.site_header = _("Annuaire des clusters — administration")
admin.site.site_title = _("Administration de l’annuaire")
admin.site.index_title = _("Contenu de l’annuaire")
