"""PostGIS storage: SQL lives here, nowhere else."""
