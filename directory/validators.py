"""Validators shared by the models, the admin forms and the loaders."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren as stdnum_siren

# Years a founding, a membership or a declaration can carry, also enforced by CHECK constraints.
MIN_YEAR = 1800
MAX_YEAR = 2100

INSEE_COMMUNE_CODE_REGEX = r"^(?:[0-9]{5}|2[AB][0-9]{3})$"

validate_commune_code = RegexValidator(
    INSEE_COMMUNE_CODE_REGEX,
    _("Un code commune INSEE a cinq caractères : 28085, 2A004, 97105…"),
)


def validate_siren(value):
    if not value:
        return
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError(
            _("Un SIREN compte exactement neuf chiffres (reçu : « %(value)s »)."),
            code="siren_format",
            params={"value": value[:30]},
        )
    if not stdnum_siren.is_valid(value):
        raise ValidationError(
            _("Ce SIREN n’est pas valide : sa clé de contrôle (Luhn) ne correspond pas."),
            code="siren_checksum",
        )


def validate_past_year(value):
    """A year between MIN_YEAR and the current year: no founding in the future."""
    if value is None:
        return
    this_year = datetime.date.today().year
    if not MIN_YEAR <= value <= this_year:
        raise ValidationError(
            _("Année impossible : %(value)s (attendue entre %(min)s et %(max)s)."),
            code="impossible_year",
            params={"value": value, "min": MIN_YEAR, "max": this_year},
        )


def validate_year(value):
    """A year in the range the database accepts (programmes may end in the future)."""
    if value is None:
        return
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValidationError(
            _("Année impossible : %(value)s (attendue entre %(min)s et %(max)s)."),
            code="impossible_year",
            params={"value": value, "min": MIN_YEAR, "max": MAX_YEAR},
        )
