"""The app's side of the terminal: a driver that sends only the cells that change."""
