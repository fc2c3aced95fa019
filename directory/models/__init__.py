"""The directory's domain model, one module per part of the domain."""

from directory.models.choices import (
    ClusterKind,
    Confidence,
    DatePrecision,
    Framework,
    LabelKind,
    LabelLevel,
    MembershipRole,
    OrganisationKind,
    OrganisationSize,
    ParticipationRole,
    PositionPrecision,
    Status,
)
from directory.models.clusters import Cluster, ClusterFormerSlug, ClusterQuerySet, ClusterSource, Label
from directory.models.geography import Department, Region
from directory.models.imports import ImportBatch
from directory.models.members import Membership, Organisation, OrganisationQuerySet
from directory.models.programmes import Participation, Programme
from directory.models.sectors import Sector
from directory.models.seed import SeedRecord
from directory.models.site import SiteVersion

__all__ = [
    "SiteVersion",
    "Cluster",
    "ClusterFormerSlug",
    "ClusterKind",
    "ClusterQuerySet",
    "ClusterSource",
    "Confidence",
    "DatePrecision",
    "Department",
    "Framework",
    "ImportBatch",
    "Label",
    "LabelKind",
    "LabelLevel",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "OrganisationSize",
    "Participation",
    "ParticipationRole",
    "PositionPrecision",
    "Programme",
    "Region",
    "Sector",
    "SeedRecord",
    "Status",
]
