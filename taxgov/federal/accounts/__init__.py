"""Users of the federal Online Account, known only by the identity provider's subject."""
