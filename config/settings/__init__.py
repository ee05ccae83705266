"""Settings modules: ``base`` plus one per deployable (identity, federal, state) and ``test``."""
