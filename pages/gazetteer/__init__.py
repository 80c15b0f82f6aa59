"""Police forces and people in news articles, no Scrapy: a versioned gazetteer of UK police
forces and policing bodies (forces.json), a tagger of the bodies an article names (forces.py) and
a finder of the officers it names by rank (people.py). Standard library only.

- `Gazetteer.load()`: the bundled gazetteer, compiled once per process; `.tag(title, standfirst,
  text)` -> [ForceTag], `.mentions(text)` -> [Mention] with positions.
- `find_people(text, gazetteer=None, *, main_force=None)` -> [Person].
"""

from pages.gazetteer.forces import Body, ForceTag, Gazetteer, GazetteerError, Mention
from pages.gazetteer.people import Person, find_people

__all__ = ["Body", "ForceTag", "Gazetteer", "GazetteerError", "Mention", "Person", "find_people"]
