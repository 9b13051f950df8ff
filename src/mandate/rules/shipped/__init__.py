"""Rulebooks shipped with mandate, as TOML package data (``labour-2016.toml``, ...)."""
