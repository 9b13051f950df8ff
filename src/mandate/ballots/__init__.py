"""mandate.ballots."""
