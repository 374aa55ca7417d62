"""Treaty reports built from the figures: Article 4.6 extension requests, the work plan."""
