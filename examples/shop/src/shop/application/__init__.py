"""The application: use cases that orchestrate the domain through its ports."""
