"""Enumerations of the domain. Stored values are the readable slugs used in URLs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterKind(models.TextChoices):
    POLE = "pole-de-competitivite", _("Pôle de compétitivité")
    GRAPPE = "grappe-d-entreprises", _("Grappe d’entreprises")
    REGIONAL = "cluster-regional", _("Cluster régional")
    BUSINESS = "business-cluster", _("Business cluster")
    BIOCLUSTER = "biocluster", _("Biocluster")
    SPL = "spl", _("Système productif local")
    OTHER = "autre", _("Autre")


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class Confidence(models.TextChoices):
    HIGH = "high", _("Élevée")
    MEDIUM = "medium", _("Moyenne")
    LOW = "low", _("Faible")


class PositionPrecision(models.TextChoices):
    EXACT = "exact", _("Adresse exacte")
    COMMUNE = "commune", _("Centre de la commune")


class DatePrecision(models.TextChoices):
    """How much of a stored date the source gave: a day is never invented."""

    YEAR = "year", _("Année")
    MONTH = "month", _("Mois")
    DAY = "day", _("Jour")


class LabelKind(models.TextChoices):
    POLE_PHASE = "pole-phase", _("Phase de pôle de compétitivité")
    CLUSTER_EXCELLENCE = "cluster-excellence", _("Excellence de la gestion de cluster (ESCA / EUCLES)")
    OTHER = "autre", _("Autre label")


class LabelLevel(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Argent")
    GOLD = "gold", _("Or")


class OrganisationKind(models.TextChoices):
    COMPANY = "entreprise", _("Entreprise")
    LABORATORY = "laboratoire", _("Laboratoire de recherche")
    SCHOOL = "enseignement", _("Université ou école")
    PUBLIC_BODY = "organisme-public", _("Organisme public")
    ASSOCIATION = "association", _("Association")
    OTHER = "autre", _("Autre")


class OrganisationSize(models.TextChoices):
    """INSEE size categories (loi de modernisation de l’économie, 2008)."""

    MICRO = "micro", _("Micro-entreprise")
    PME = "pme", _("PME")
    ETI = "eti", _("ETI")
    GRANDE = "grande", _("Grande entreprise")


class MembershipRole(models.TextChoices):
    MEMBER = "membre", _("Membre")
    FOUNDING = "fondateur", _("Membre fondateur")
    BOARD = "conseil", _("Membre du conseil d’administration")


class Framework(models.TextChoices):
    HORIZON_EUROPE = "horizon-europe", _("Horizon Europe")
    HORIZON_2020 = "horizon-2020", _("Horizon 2020")
    SMP = "smp-euroclusters", _("Programme pour le marché unique / Euroclusters")
    COSME = "cosme", _("COSME")
    CIP = "cip", _("CIP")
    INTERREG = "interreg", _("Interreg")
    S3 = "s3", _("Partenariat S3")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Régional")
    OTHER = "autre", _("Autre")


class ParticipationRole(models.TextChoices):
    COORDINATOR = "coordinateur", _("Coordinateur")
    CO_COORDINATOR = "co-coordinateur", _("Co-coordinateur")
    PARTNER = "partenaire", _("Partenaire")
    NOT_STATED = "non-precise", _("Rôle non précisé")


def choice_label(choices, value):
    """The translated label of `value` in the enumeration `choices`; the value itself if unknown."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def choice_display(field_name, choices):
    """A get_FOO_display() for the field `field_name`, whose choices are the enumeration `choices`.

    Django's own rebuilds a dict of every choice on each call, and hashing each lazy label
    translates it: 5 to 15 gettext calls a call, hundreds on a page of members. Declared in
    the model's body, this one takes the place of the generated method (Django keeps a
    get_FOO_display() the class defines) and translates only the label shown.
    """

    def display(self):
        return choice_label(choices, getattr(self, field_name))

    display.__name__ = f"get_{field_name}_display"
    return display
