"""The ``x-`` extensions: behaviour a vendor describes in words, declared in the spec."""
