"""Deployable 3: the state tax portal, with its own registration and two-step verification."""
