"""govnews cleaning stage: raw page bytes in, one record out. Never imports scrapy."""
from cleaners.pipeline import clean, CleanOptions

__all__ = ["clean", "CleanOptions"]
