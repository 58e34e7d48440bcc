"""Infrastructure: adapters that implement the domain's ports."""
