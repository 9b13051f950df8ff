"""mandate.rules."""
