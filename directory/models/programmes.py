"""European and international programmes, and the clusters taking part."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.links import page_url
from directory.models.choices import Framework, ParticipationRole, choice_display
from directory.models.clusters import Cluster
from directory.validators import MAX_YEAR, MIN_YEAR, validate_year


class Programme(models.Model):
    name = models.CharField(_("nom"), max_length=300)
    acronym = models.CharField(_("acronyme"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    framework = models.CharField(_("cadre"), max_length=20, choices=Framework.choices)
    framework_detail = models.CharField(
        _("précision sur le cadre"), max_length=300, blank=True, help_text=_("Appel, numéro de projet…")
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description en anglais"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True, validators=[validate_year])
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True, validators=[validate_year])
    website = models.URLField(_("site web"), max_length=300, blank=True)
    partner_countries = CountryField(_("pays partenaires"), multiple=True, blank=True)
    source_urls = models.TextField(_("sources"), blank=True, help_text=_("Une adresse par ligne."))
    clusters = models.ManyToManyField(
        Cluster, through="Participation", related_name="programmes", verbose_name=_("clusters participants")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    get_framework_display = choice_display("framework", Framework)

    class Meta:
        ordering = ["acronym", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=MIN_YEAR, start_year__lte=MAX_YEAR),
                name="programme_start_year_range",
                violation_error_message=_("Année de début impossible."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=MIN_YEAR, end_year__lte=MAX_YEAR),
                name="programme_end_year_range",
                violation_error_message=_("Année de fin impossible."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="programme_ends_after_start",
                violation_error_message=_("Le programme finit avant d’avoir commencé."),
            ),
        ]

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return page_url("directory:programme_detail", self.slug)

    @property
    def localized_description(self):
        return self.description_en if get_language() == "en" and self.description_en else self.description


class Participation(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations", verbose_name=_("programme")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="participations", verbose_name=_("cluster")
    )
    role = models.CharField(
        _("rôle"), max_length=16, choices=ParticipationRole.choices, default=ParticipationRole.NOT_STATED
    )

    get_role_display = choice_display("role", ParticipationRole)

    class Meta:
        ordering = ["programme", "cluster__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cluster"],
                name="participation_unique_programme_cluster",
                violation_error_message=_("Ce cluster participe déjà à ce programme."),
            )
        ]

    def __str__(self):
        return f"{self.cluster} — {self.programme}"
