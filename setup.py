"""The egg scrapyd-deploy builds (`python setup.py bdist_egg`): everything is in pyproject.toml.

Without this file scrapyd-deploy writes its own setup.py, whose egg lacks the package data (site
profiles, the forces gazetteer) and names no settings beyond scrapy.cfg's.
"""

from setuptools import setup

setup()
