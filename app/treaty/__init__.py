"""The Convention on Cluster Munitions: deadlines, extension requests, the programme's settings."""
