"""Deny-by-default access control: every view declares who may reach it."""
