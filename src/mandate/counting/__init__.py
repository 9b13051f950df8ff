"""mandate.counting."""
