"""Which versions extracted a record: recorded on every article and revision
(`extractor_version`), so that a re-extraction after an upgrade or a profile fix is traceable.

`extractor_version(extractor, profile)` names this program's version, and the library's version
for the generic readers (trafilatura, readability-lxml) or the site profile's digest for a profile
layout (a hash of the profile as loaded: any change to its file changes it).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from pages.profiles import SiteProfile


@cache
def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


@cache
def profile_digest(profile: SiteProfile) -> str:
    """A short digest of the profile as loaded (its name, hosts, URL patterns, layouts)."""
    return hashlib.sha256(repr(profile).encode("utf-8")).hexdigest()[:12]


def extractor_version(extractor: str, profile: SiteProfile | None) -> str:
    """E.g. "police-news-archive 0.1.0; trafilatura 2.3.0" or "police-news-archive 0.1.0;
    profile policeoracle 3f1c2a9b0d4e"."""
    own = f"police-news-archive {_version('police-news-archive')}"
    if extractor.startswith("profile:") and profile is not None:
        return f"{own}; profile {profile.name} {profile_digest(profile)}"
    if extractor == "readability":
        return f"{own}; readability-lxml {_version('readability-lxml')}"
    return f"{own}; trafilatura {_version('trafilatura')}"
