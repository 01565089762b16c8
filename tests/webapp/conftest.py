"""The app's page-free modules, imported as the browser does (package ``app``)."""

from tests.support.webapp import register_app

register_app()
