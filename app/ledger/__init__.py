"""The domain core: land states, facts, pieces of land and their replay, scopes, and the rules
of remaining land. No HTTP, no SQL here."""
