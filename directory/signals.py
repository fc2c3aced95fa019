"""Keeps the clusters' search columns true after every single-row write.

Each handler only works out which clusters a write touched and calls the one refresh
path, `ClusterQuerySet.refresh_search_text()`. Signals also fire under `loaddata`
(raw saves, then M2M `set()`), so fixtures are searchable once loaded. Bulk writes send
no signal: whoever makes them calls the refresh (the seed loader does).

The memberships' copy of their organisation's public name (`Membership.listed_name`) is
kept the same way, through its one path, `MembershipQuerySet.refresh_listed_names()`.
Deletes need nothing: a membership goes with its row, or with its organisation's.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from directory.models import Cluster, Membership, Organisation, Participation, Programme, Sector


def _refresh(clusters, using):
    clusters.using(using).refresh_search_text()


@receiver(post_save, sender=Cluster, dispatch_uid="search_cluster_saved")
def cluster_saved(sender, instance, using, **kwargs):
    _refresh(Cluster.objects.filter(pk=instance.pk), using)


@receiver(m2m_changed, sender=Cluster.sectors.through, dispatch_uid="search_cluster_sectors_changed")
def cluster_sectors_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        _refresh(Cluster.objects.filter(pk=instance.pk), using)
    elif action == "pre_clear":
        # sector.clusters.clear(): the clusters are only known before the rows go.
        instance._search_cluster_ids = list(instance.clusters.values_list("pk", flat=True))
    elif action == "post_clear":
        _refresh(Cluster.objects.filter(pk__in=getattr(instance, "_search_cluster_ids", [])), using)
    else:
        _refresh(Cluster.objects.filter(pk__in=pk_set or []), using)


@receiver(post_save, sender=Sector, dispatch_uid="search_sector_saved")
def sector_saved(sender, instance, using, **kwargs):
    # Also when created: `loaddata` may link clusters to a sector before saving it.
    _refresh(Cluster.objects.filter(sectors=instance), using)


@receiver(pre_delete, sender=Sector, dispatch_uid="search_sector_deleting")
@receiver(pre_delete, sender=Programme, dispatch_uid="search_programme_deleting")
def remember_clusters_before_delete(sender, instance, **kwargs):
    # The link rows go with the sector or programme: note whose search text to rewrite.
    instance._search_cluster_ids = list(instance.clusters.values_list("pk", flat=True))


@receiver(post_delete, sender=Sector, dispatch_uid="search_sector_deleted")
@receiver(post_delete, sender=Programme, dispatch_uid="search_programme_deleted")
def related_deleted(sender, instance, using, **kwargs):
    _refresh(Cluster.objects.filter(pk__in=getattr(instance, "_search_cluster_ids", [])), using)


@receiver(post_save, sender=Programme, dispatch_uid="search_programme_saved")
def programme_saved(sender, instance, using, **kwargs):
    _refresh(Cluster.objects.filter(participations__programme=instance), using)


@receiver(post_save, sender=Participation, dispatch_uid="search_participation_saved")
@receiver(post_delete, sender=Participation, dispatch_uid="search_participation_deleted")
def participation_changed(sender, instance, using, **kwargs):
    _refresh(Cluster.objects.filter(pk=instance.cluster_id), using)


@receiver(post_save, sender=Organisation, dispatch_uid="listed_name_organisation_saved")
def organisation_saved(sender, instance, using, **kwargs):
    # Its name or publicly_named may have changed; also under `loaddata`, whichever of the
    # organisation and its memberships comes first. A few memberships: one UPDATE.
    Membership.objects.using(using).filter(organisation_id=instance.pk).refresh_listed_names()


@receiver(post_save, sender=Membership, dispatch_uid="listed_name_membership_saved")
def membership_saved(sender, instance, using, **kwargs):
    # New, or moved to another organisation; a save also wrote its in-memory copy back.
    Membership.objects.using(using).filter(pk=instance.pk).refresh_listed_names()
