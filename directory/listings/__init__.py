"""Organisations keeping their own listing true: editing, moderation and the change log."""
