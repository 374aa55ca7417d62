"""The HTTP layer: request parsing, responses, routes. No SQL and no geometry rules here."""
