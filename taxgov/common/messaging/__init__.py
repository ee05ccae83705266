"""Outgoing e-mail, text messages and voice calls, and the development outbox."""
