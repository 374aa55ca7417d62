"""Use cases: recording facts, voiding and reviewing them, imports, bulk loads, previews of
pending submissions, and keeping the derived land state up to date."""
