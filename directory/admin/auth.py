"""Users and groups, for superusers only: the staff group has no permission on them.

SimpleAdminConfig does not autodiscover django.contrib.auth's admin module; importing it
registers User and Group with Django's own UserAdmin and GroupAdmin.
"""

from django.contrib.auth import admin as auth_admin  # noqa: F401
