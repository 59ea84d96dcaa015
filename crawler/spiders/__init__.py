"""Spiders: one, ``site``, driven by the site registry."""
