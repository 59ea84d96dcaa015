"""Item pipelines, one small module each: clean → validate → attachments (optional) → mongo."""
