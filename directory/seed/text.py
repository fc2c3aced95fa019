"""Name comparison: the sources spell the same place or cluster in many ways."""

import re
import unicodedata

_SAINT = {"saint": "st", "sainte": "ste"}


def fold(text):
    """Lower case, no accents, every run of punctuation or space turned into one space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def commune_key(name):
    """« Saint-Étienne-du-Rouvray », « St Etienne du Rouvray » and « saint étienne-du-rouvray » compare equal."""
    return " ".join(_SAINT.get(word, word) for word in fold(name).split())


def name_key(name):
    """Cluster names compared without case, accents, spaces or punctuation: « AQUI O Thermes » = « Aqui-O-Thermes »."""
    return fold(name).replace(" ", "")


def split_cell(value):
    """A cell holding several values separated by « | » (space, bar, space), as the sources do."""
    return [part.strip() for part in (value or "").split(" | ") if part.strip()]
