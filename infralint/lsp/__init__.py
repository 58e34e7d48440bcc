"""The language server (`infralint server`): a thin layer over the engine.

Only `server` imports pygls; the other modules convert between the
engine's findings and the protocol, and can be tested without a client.
"""
