"""mandate.web."""
