"""The HTTP gateway: the one door for the app, agencies and staff (JSON under /api/v1)."""
