"""Serving the app over SSH: the setup, the resident server and the connector."""
