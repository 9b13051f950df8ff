"""mandate.crypto."""
