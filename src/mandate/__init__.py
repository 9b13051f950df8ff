"""mandate: open, verifiable elections for membership organisations, with the rulebook as code.

The pure core (``mandate.rules``, ``mandate.ballots``, ``mandate.counting``, ``mandate.crypto``)
takes values and returns values; the shell (``mandate.storage``, ``mandate.service``,
``mandate.web``, ``mandate.cli``) reads, calls the core and writes.
"""

from __future__ import annotations

from mandate.errors import MandateError

__all__ = ["MandateError", "__version__"]

__version__ = "0.1.0"
