"""The domain core: land states, facts and their replay. No HTTP, no SQL here."""
