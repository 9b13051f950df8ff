"""mandate.storage."""
