"""Searching clusters by words, on PostgreSQL and on SQLite.

The search document spans several tables (sector and programme names), so it
cannot be a generated column. It is stored on Cluster instead, in three columns
that only `refresh_search_text()` writes:

- `search_name`: the name, folded (lower case, no accents, ligatures spelt out);
- `search_text`: the name, summaries, descriptions, city, sector and programme
  names, folded the same way;
- `search_vector` (PostgreSQL only): both as a French, accent-blind tsvector, the
  name weighted A.

Every write path reaches that one refresh: the signals in `directory.signals`
(saves and deletions of clusters, sectors, programmes and participations, M2M
changes, `loaddata` included), and whoever writes in bulk (`QuerySet.update()`,
`bulk_create`, the seed loader) calls `Cluster.objects.refresh_search_text()`
afterwards.

Folding happens here, in Python, for both databases, so a query and the stored
text are always folded the same way. PostgreSQL then adds French stemming
(« cosmétiques » finds « cosmétique ») and, when no cluster matches every word,
typo tolerance on names through pg_trgm (« Genopol » finds « Genopole »). SQLite
matches every folded word as a substring.
"""

import re
import unicodedata

from django.db import connections
from django.db.models import BooleanField, F, FloatField, Q, Value
from django.db.models.expressions import RawSQL

# Weighted A in the vector: ts_rank() then puts name matches first.
SEARCH_CONFIG = "french_unaccent"
# Longest query we search for; the view says when it cut one.
MAX_QUERY_LENGTH = 200

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_WORD = re.compile(r"[0-9a-z]+")


def fold(text):
    """Lower case, no accents, ligatures spelt out: « Cœur d’Économie » → « coeur d’economie »."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def query_words(query):
    """The folded words of a query; punctuation and operators are dropped."""
    return _WORD.findall(fold(query[:MAX_QUERY_LENGTH]))


def is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def search_document(cluster):
    """What `search_text` holds for a cluster whose sectors and programmes are prefetched."""
    parts = [
        cluster.name,
        cluster.summary,
        cluster.summary_en,
        cluster.description,
        cluster.description_en,
        cluster.hq_city,
    ]
    for sector in cluster.sectors.all():
        parts += [sector.name, sector.name_en]
    for programme in cluster.programmes.all():
        parts += [programme.acronym, programme.name]
    return fold(" ".join(part for part in parts if part))


def refresh_search_text(queryset):
    """Rewrites the search columns of the clusters in `queryset`. Returns how many."""
    from directory.models import Cluster, Programme, Sector
    from django.db.models import Prefetch

    clusters = list(
        Cluster.objects.using(queryset.db)
        .filter(pk__in=queryset.order_by().values("pk"))
        .only("name", "summary", "summary_en", "description", "description_en", "hq_city")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.only("name", "name_en")),
            Prefetch("programmes", queryset=Programme.objects.only("name", "acronym")),
        )
    )
    for cluster in clusters:
        cluster.search_name = fold(cluster.name)
        cluster.search_text = search_document(cluster)
    Cluster.objects.using(queryset.db).bulk_update(clusters, ["search_name", "search_text"], batch_size=500)
    if clusters and is_postgresql(queryset):
        from django.contrib.postgres.search import SearchVector

        Cluster.objects.using(queryset.db).filter(pk__in=[cluster.pk for cluster in clusters]).update(
            search_vector=SearchVector("search_name", config=SEARCH_CONFIG, weight="A")
            + SearchVector("search_text", config=SEARCH_CONFIG, weight="B")
        )
    if clusters:
        # Bulk writers all pass here: their changes must reach cached pages too.
        from directory.caching import bump_site_version

        bump_site_version(queryset.db)
    return len(clusters)


def _name_match(table, words):
    """1 when every word is in the name, else 0: name matches rank first."""
    # Words are [0-9a-z]+ once folded, so none holds a LIKE wildcard to escape.
    every_word = " AND ".join([f'{table}."search_name" LIKE %s'] * len(words))
    return RawSQL(f"CASE WHEN {every_word} THEN 1.0 ELSE 0.0 END", [f"%{word}%" for word in words], FloatField())


def search(queryset, query):
    """Clusters matching every word of `query`, annotated with `search_rank` and `name_match`.

    Order them by `pertinence_ordering()`.
    """
    words = query_words(query or "")
    if not words:
        return queryset.annotate(name_match=Value(0.0), search_rank=Value(0.0))
    if is_postgresql(queryset):
        return _search_postgresql(queryset, words)
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__contains=word)
    table = connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)
    return queryset.filter(every_word).annotate(name_match=_name_match(table, words), search_rank=Value(0.0))


def _search_postgresql(queryset, words):
    # Raw SQL fragments, not SearchQuery, SearchRank and TrigramWordSimilar expressions:
    # building and compiling those cost ~6 ms of Python on every search page, these ~2.
    # Words are [0-9a-z]+ once folded, so the raw tsquery cannot be malformed. The prefix
    # match (:*) lets live results follow a word still being typed; stemming applies first.
    tsquery = " & ".join(f"{word}:*" for word in words)
    folded = " ".join(words)
    connection = connections[queryset.db]
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    vector, name = f'{table}."search_vector"', f'{table}."search_name"'
    to_tsquery = f"to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"
    # When no cluster of `queryset` has every word, the query reads as a misspelt name (the
    # trigram index serves %>). Decided in the same query, by a NOT EXISTS PostgreSQL
    # evaluates once: a separate probe cost a query (~2 ms) on every search page.
    with_every_word = queryset.filter(RawSQL(f'"search_vector" @@ {to_tsquery}', [tsquery], output_field=BooleanField()))
    with_every_word_sql, with_every_word_params = (
        with_every_word.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
    )
    # Both kinds of match as ids from their own index, in one array the primary key is probed
    # with. As two IN tests side by side in an OR, PostgreSQL read every cluster's row; as one
    # IN, it still hashed them all: 1.7 ms at 400 clusters, 0.65 ms this way.
    matches = RawSQL(
        f'{table}."id" = ANY(ARRAY(SELECT "id" FROM {table} WHERE "search_vector" @@ {to_tsquery}'
        f' UNION ALL SELECT "id" FROM {table} WHERE "search_name" %%> %s AND NOT EXISTS ({with_every_word_sql})))',
        [tsquery, folded, *with_every_word_params],
        output_field=BooleanField(),
    )
    # A cluster with every word ranks by ts_rank(); a misspelt name (listed only when no
    # cluster has every word) by its similarity.
    rank = RawSQL(
        f"CASE WHEN {vector} @@ {to_tsquery} THEN ts_rank({vector}, {to_tsquery}) ELSE word_similarity(%s, {name}) END",
        [tsquery, tsquery, folded],
        output_field=FloatField(),
    )
    return queryset.filter(matches).annotate(name_match=_name_match(table, words), search_rank=rank)


def pertinence_ordering():
    return [F("name_match").desc(), F("search_rank").desc(), "name", "pk"]
