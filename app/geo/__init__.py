"""Geometry helpers shared by the ledger, the API and the file formats."""
