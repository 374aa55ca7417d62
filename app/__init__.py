"""Land-release information management: hazardous areas, the land-release ledger, figures."""
