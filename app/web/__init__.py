"""The web interface: one page and its static assets, all served by the application (no CDN,
no online tile service), so that it works on an office network without internet."""
