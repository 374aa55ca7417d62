"""The offline basemap: prepared once from open data that Debian and PyPI packages ship."""
