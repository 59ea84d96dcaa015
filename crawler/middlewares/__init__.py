"""Downloader middlewares: block detection and conditional GET."""
