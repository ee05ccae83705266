"""taxgov: an identity provider, a federal online account and a state tax portal."""
