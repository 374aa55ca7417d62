"""Messages for people, in their language: catalogues of templates by stable code."""
