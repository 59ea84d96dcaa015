"""Item pipelines, one small module each: clean → validate → mongo."""
