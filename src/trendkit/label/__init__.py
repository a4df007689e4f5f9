"""Stage 4 — label: what each theme is called, how good it is, and how users reshape it.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``terms``          term variants and acronyms as one term; a diverse pick of terms
``ctfidf``         class-based TF-IDF (themes × terms)
``names``          :func:`name_topics`: keyphrase labels, no word shared between labels
``phrases``        one short name per theme (``topic_name``), as a reader would write it
``acronyms``       acronyms as the texts define and write them, for those names
``quality``        NPMI coherence, diversity, agreement with labels, mixed-bin flags
``rows``           the one builder of topic rows (``topics.csv``), and recounts
``curate``         renames, merges and exclusions chosen by the user
=================  ==============================================================
"""

from .ctfidf import class_tfidf, ctfidf_from_counts
from .curate import Curation, apply_curation, read_curation
from .names import GENERIC_PENALTY, name_topics
from .quality import mixed_flags, npmi_coherence, theme_quality, topic_diversity
from .rows import recount, representatives, topic_rows
from .terms import acronym_map, diverse_terms, term_key

__all__ = ["class_tfidf", "ctfidf_from_counts", "Curation", "apply_curation", "read_curation",
           "GENERIC_PENALTY", "name_topics", "mixed_flags", "npmi_coherence", "theme_quality",
           "topic_diversity", "acronym_map", "diverse_terms", "term_key", "recount",
           "representatives", "topic_rows"]
