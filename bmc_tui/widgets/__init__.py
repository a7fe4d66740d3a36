"""Reusable widgets of the workshop app."""
