"""mandate.web: the FastAPI app (server-rendered pages and the REST API under ``/api``)."""

from mandate.web.app import create_app

__all__ = ["create_app"]
