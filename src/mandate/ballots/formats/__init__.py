"""mandate.ballots.formats."""
