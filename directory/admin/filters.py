"""List filters of the admin. Relation filters use Exists() subqueries: no duplicate rows, no DISTINCT."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Cluster, Membership, Participation, Programme, Region, Sector


def _pk(value):
    """The filter's value as a primary key, or None when it is not one (a hand-edited URL)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def a_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class RegionFilter(admin.SimpleListFilter):
    """Clusters headquartered in the region or covering it (the public site's meaning of « in a region »)."""

    title = _("région (siège ou couverte)")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.pk, region.name) for region in Region.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        pk = _pk(self.value())
        if self.value() is None:
            return queryset
        if pk is None:
            return queryset.none()
        return queryset.in_region(pk)


class SectorFilter(admin.SimpleListFilter):
    title = _("secteur")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return [(sector.pk, sector.name) for sector in Sector.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = _pk(self.value())
        if pk is None:
            return queryset.none()
        filed_under = Cluster.sectors.through.objects.filter(cluster_id=OuterRef("pk"), sector_id=pk)
        return queryset.filter(Exists(filed_under))


class ProgrammeFilter(admin.SimpleListFilter):
    title = _("programme")
    parameter_name = "programme"

    def lookups(self, request, model_admin):
        return [(programme.pk, str(programme)) for programme in Programme.objects.only("pk", "name", "acronym")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = _pk(self.value())
        if pk is None:
            return queryset.none()
        taking_part = Participation.objects.filter(cluster_id=OuterRef("pk"), programme_id=pk)
        return queryset.filter(Exists(taking_part))


class DataQualityFilter(admin.SimpleListFilter):
    """What staff should fix or check next."""

    title = _("qualité des données")
    parameter_name = "qualite"

    NO_REGION = "sans-region"
    NO_POSITION = "sans-coordonnees"
    NO_WEBSITE = "sans-site-web"
    NEVER_VERIFIED = "jamais-verifie"
    STALE = "non-verifie-depuis-12-mois"

    def lookups(self, request, model_admin):
        return [
            (self.NO_REGION, _("Sans région")),
            (self.NO_POSITION, _("Sans coordonnées")),
            (self.NO_WEBSITE, _("Sans site web")),
            (self.NEVER_VERIFIED, _("Jamais vérifié par l’équipe")),
            (self.STALE, _("Non vérifié depuis 12 mois")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.NO_REGION:
            return queryset.filter(region__isnull=True)
        if value == self.NO_POSITION:
            return queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        if value == self.NO_WEBSITE:
            return queryset.filter(website="")
        if value == self.NEVER_VERIFIED:
            return queryset.filter(last_verified_on__isnull=True)
        if value == self.STALE:
            return queryset.filter(last_verified_on__lt=a_year_before(timezone.localdate()))
        return queryset.none()


class MembershipClusterFilter(admin.SimpleListFilter):
    """The memberships of one cluster: the target of the cluster form's summary link.

    Listing every cluster in the sidebar would be hundreds of links, so the filter only
    shows the cluster it is set to (with « Tout » to clear it).
    """

    title = _("cluster")
    parameter_name = "cluster"

    def lookups(self, request, model_admin):
        pk = _pk(self.value())
        if pk is None:
            return []
        return [(cluster.pk, cluster.name) for cluster in Cluster.objects.filter(pk=pk).only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        pk = _pk(self.value())
        if pk is None:
            return queryset.none()
        return queryset.filter(cluster_id=pk)


class OrganisationMemberOfFilter(admin.SimpleListFilter):
    title = _("adhésions")
    parameter_name = "adhesions"

    def lookups(self, request, model_admin):
        return [("oui", _("Membre d’au moins un cluster")), ("non", _("Membre d’aucun cluster"))]

    def queryset(self, request, queryset):
        member = Exists(Membership.objects.filter(organisation_id=OuterRef("pk")))
        if self.value() == "oui":
            return queryset.filter(member)
        if self.value() == "non":
            return queryset.filter(~member)
        return queryset
