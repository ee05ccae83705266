"""Append-only, hash-chained audit log of security events and money movements."""
