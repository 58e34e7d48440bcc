"""Entrypoints: how the outside world drives the application."""
