"""OGC API building blocks: filters written in CQL2 and their translation to SQL."""
