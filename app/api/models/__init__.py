"""The shapes of the API's responses, by resource: what /openapi.json tells clients to expect."""
