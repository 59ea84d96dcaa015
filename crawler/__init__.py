"""The govnews Scrapy project: one `site` spider driven by a site registry kept as data."""
