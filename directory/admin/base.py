"""What every admin class and form of the directory shares."""

from django.db import models


def https_url_formfield(db_field, **kwargs):
    """Form fields for the models: a URL typed without a scheme becomes https://, Django 6's default.

    Saying so silences Django 5.2's deprecation warning (an error in the test suite)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class HttpsUrlsMixin:
    """For ModelAdmin and inlines, which build their form fields through formfield_for_dbfield."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)
