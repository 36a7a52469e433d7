"""Every feature file under features/, run as tests by pytest-bdd."""

from pytest_bdd import scenarios

scenarios("dprk", "iran", "context", "article")
