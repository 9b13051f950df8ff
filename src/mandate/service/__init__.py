"""mandate.service."""
