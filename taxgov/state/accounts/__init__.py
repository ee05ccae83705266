"""State portal logons (username, password, two-step verification)."""
