"""The domain: entities, value objects and the ports the outside must implement."""
