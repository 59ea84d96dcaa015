"""Item pipelines, one small module each: clean → quality (figures for the site's health) →
validate → attachments (optional) → mongo."""
