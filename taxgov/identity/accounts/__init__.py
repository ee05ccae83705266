"""People's accounts at the identity provider."""
