"""Stage 3 — cluster: embeddings to theme ids, every document assigned.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``centroids``      theme centres and nearest-centroid assignment (one definition)
``density``        UMAP + HDBSCAN, made cheap to start (the BERTopic recipe)
``merge``          merge to a ceiling, split a catch-all, Ward for small corpora
``clusterer``      :func:`theme_clusters` and the :class:`ThemeClusterer` estimator
``novelty``        themes born after the fit, found among new documents
=================  ==============================================================
"""

from .centroids import OUTLIER, centroids, nearest_centroid
from .clusterer import ThemeClusterer, auto_max_topics, theme_clusters
from .density import auto_min_topic_size, sample_min_size
from .levels import children_of

__all__ = ["OUTLIER", "centroids", "nearest_centroid", "ThemeClusterer", "auto_max_topics",
           "theme_clusters", "auto_min_topic_size", "sample_min_size", "children_of"]
