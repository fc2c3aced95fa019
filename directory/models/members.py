"""Member organisations and their memberships of clusters."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from directory.links import page_url
from directory.models.choices import MembershipRole, OrganisationKind, OrganisationSize, choice_display
from directory.models.clusters import Cluster
from directory.models.geography import Department
from directory.models.sectors import Sector
from directory.validators import MAX_YEAR, MIN_YEAR, validate_past_year, validate_siren


def membership_count(outer_field):
    """How many memberships have `outer_field` (« cluster_id », « organisation_id ») equal to the row's pk.

    A correlated subquery, not a GROUP BY: at 100,000 memberships, an admin page of 50 rows
    counts its own rows instead of aggregating the whole table before paginating.
    """
    counts = (
        Membership.objects.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)


class OrganisationQuerySet(models.QuerySet):
    def with_clusters_count(self):
        """Annotates `clusters_count`: the clusters the organisation is recorded as a member of."""
        return self.annotate(clusters_count=membership_count("organisation_id"))

    def publicly_named(self):
        """Organisations that may be named in public; the others only count."""
        return self.filter(publicly_named=True)

    def public(self):
        """Organisations with a public page: named, and a member of at least one published cluster.

        A membership of a draft or archived cluster alone publishes nothing about the organisation.
        """
        published_membership = Membership.objects.filter(
            organisation_id=OuterRef("pk"), cluster__in=Cluster.objects.published()
        )
        return self.publicly_named().filter(Exists(published_membership))


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text=_("Neuf chiffres, clé de contrôle comprise."),
    )
    size = models.CharField(_("taille"), max_length=10, choices=OrganisationSize.choices, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("département"),
    )
    website = models.URLField(_("site web"), max_length=300, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations", verbose_name=_("secteurs"))
    publicly_named = models.BooleanField(
        _("peut être nommée publiquement"),
        default=True,
        help_text=_(
            "Décochez si l’organisation s’oppose à la diffusion de son nom "
            "(un entrepreneur individuel peut s’y opposer, comme au répertoire SIRENE)."
        ),
    )
    # Synthetic rows of `generate_demo_data`: shown as such, and the only rows its --delete removes.
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, db_index=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    get_kind_display = choice_display("kind", OrganisationKind)
    get_size_display = choice_display("size", OrganisationSize)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~Q(siren=""),
                name="organisation_unique_siren",
                violation_error_message=_("Une organisation porte déjà ce SIREN."),
            ),
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"),
                name="organisation_siren_nine_digits",
                violation_error_message=_("Un SIREN compte exactement neuf chiffres."),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="organisation_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The organisation's public page: it has one only if it is `public()`."""
        return page_url("directory:member_detail", self.slug)


class MembershipQuerySet(models.QuerySet):
    def refresh_listed_names(self):
        """The one path that rewrites `listed_name`; call it after bulk writes (one UPDATE)."""
        name = Organisation.objects.filter(pk=OuterRef("organisation_id"), publicly_named=True).order_by()
        return self.update(listed_name=Subquery(name.values("name")[:1]))


class Membership(models.Model):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cluster")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    year_joined = models.PositiveSmallIntegerField(
        _("année d’adhésion"), null=True, blank=True, validators=[validate_past_year]
    )
    role = models.CharField(_("rôle"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    # The organisation's name when it may be named in public, NULL otherwise: a copy, so a
    # cluster's page finds its page of members and its two counts in one index (cluster,
    # listed_name, id) instead of probing 1,500 organisations (10 ms on PostgreSQL; see
    # directory/cluster_page.py). Rewritten only by `MembershipQuerySet.refresh_listed_names()`
    # (see directory/signals.py).
    listed_name = models.CharField(max_length=200, null=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    get_role_display = choice_display("role", MembershipRole)

    class Meta:
        ordering = ["cluster", "organisation__name"]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"],
                name="membership_unique_cluster_organisation",
                violation_error_message=_("Cette organisation est déjà membre de ce cluster."),
            ),
            models.CheckConstraint(
                condition=Q(year_joined__isnull=True) | Q(year_joined__gte=MIN_YEAR, year_joined__lte=MAX_YEAR),
                name="membership_year_joined_range",
                violation_error_message=_("Année d’adhésion impossible."),
            ),
        ]
        indexes = [
            # PostgreSQL also keeps the rest of a member table's membership in the index, so a
            # page deep in a large cluster is read from it alone (the last of 58 pages: 5.5 ms
            # with heap fetches, 1 ms without); SQLite ignores INCLUDE.
            models.Index(
                fields=["cluster", "listed_name", "id"],
                include=["organisation", "role"],
                name="membership_listed_name_idx",
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.cluster}"
