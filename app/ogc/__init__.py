"""OGC API building blocks: the collections as SQL, their queries, CQL2 filters, parameters,
CRSs, documents, OpenAPI, HTML views, tiles and their cache, the map style."""
