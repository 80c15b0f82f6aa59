"""Deterministic UK police-news copy for the fixture site.

Headlines, standfirsts, paragraphs, bullet lists and reader comments are built from sentence
templates whose slots are filled from varied word lists (forces, places, ranks, offences, sums of
money, quotes...), so that two articles share little beyond function words and a token-level F1
between extracted and expected text is meaningful. Everything is drawn from the `random.Random`
handed in, and every character is encodable in windows-1252 (some pages are served in it).
"""

from __future__ import annotations

import re
from random import Random

from .phrases import BULLETS, GENERIC, QUOTES, STANDFIRSTS, TEMPLATES, TITLES
from .words import (
    ADJ_NEG,
    AUTHORS,
    CATEGORIES,
    CATEGORY_WEIGHTS,
    COMMENTERS,
    COUNTIES,
    COURTS,
    DRUGS,
    EVENTS,
    FIRST_NAMES,
    FORCES,
    INITIATIVES,
    LANDMARKS,
    MONTHS,
    OFFENCES,
    OFFENCES_SHORT,
    OFFENDERS,
    ORDINALS,
    ORGS,
    PAY_ITEMS,
    PLACES,
    RANKS,
    ROADS,
    SENTENCES,
    SMALL,
    SURNAMES,
    TRAINING_TOPICS,
    UNIVERSITIES,
    VEHICLES,
    VICTIMS,
    WEEKDAYS,
)

__all__ = ["AUTHORS", "CATEGORIES", "CP1252_MARKERS", "Writer"]

COMMENT_SENTENCES = (
    "Been saying this for years and nobody at headquarters listens.",
    "Another example of the front line being left to pick up the pieces.",
    "Good result for the team, well done to all involved.",
    "Spot on, this is exactly what happens in my area every weekend.",
    "The problem is there simply aren’t enough officers to go round.",
    "I retired after thirty years and I don’t recognise the job any more.",
    "Funny how the senior ranks never seem to be affected by any of this.",
    "Credit where it’s due, that was a proper piece of police work.",
    "Where exactly are the extra officers supposed to come from?",
    "Nothing will change until the courts start handing out proper sentences.",
    "Morale on my shift is the lowest I’ve ever seen it.",
    "Shame the article doesn’t mention how many officers were taken off response to do this.",
    "Sounds great on paper but wait until the budget runs out.",
    "Let’s see if the same standards are applied to chief officers.",
    "The custody backlog alone makes this impossible on a late shift.",
    "My thoughts are with the family and with the colleagues who attended.",
    "Typical, announce it on a Friday and hope nobody notices.",
    "Some of us were doing this twenty years ago without a fancy name for it.",
    "The Federation needs to get a lot tougher on this.",
    "Training days keep getting cancelled because there’s nobody to cover.",
)

# The characters a windows-1252 page is guaranteed to contain: ’ “ ” £ é –
CP1252_SENTENCE = (
    "“We’re investing £{thousands},000 in the scheme for {year}–{yy},” said Superintendent "
    "{accented} {surname}."
)
CP1252_MARKERS = ("’", "“", "”", "£", "é", "–")

_SLOT = re.compile(r"\{(\w+)\}")


class Writer:
    """Fills templates from the word lists with one `random.Random`."""

    def __init__(self, rng: Random, year: int = 2020):
        self.rng = rng
        self.year = year  # the article's year: years in its text are earlier
        r = rng
        self.slots = {
            "force": lambda: r.choice(FORCES),
            "force2": lambda: r.choice(FORCES),
            "force_cap": lambda: _cap(r.choice(FORCES)),
            "county": lambda: r.choice(COUNTIES),
            "place": lambda: r.choice(PLACES),
            "place2": lambda: r.choice(PLACES),
            "name": lambda: f"{r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}",
            "surname": lambda: r.choice(SURNAMES),
            "person": lambda: f"{r.choice(RANKS)} {r.choice(FIRST_NAMES)} {r.choice(SURNAMES)}",
            "org": lambda: r.choice(ORGS),
            "org_cap": lambda: _cap(r.choice(ORGS)),
            "offence": lambda: r.choice(OFFENCES),
            "offence2": lambda: r.choice(OFFENCES),
            "offence_short": lambda: r.choice(OFFENCES_SHORT),
            "offender": lambda: r.choice(OFFENDERS),
            "offender_cap": lambda: _cap(r.choice(OFFENDERS)),
            "victims": lambda: r.choice(VICTIMS),
            "drug": lambda: r.choice(DRUGS),
            "vehicle": lambda: r.choice(VEHICLES),
            "road": lambda: r.choice(ROADS),
            "court": lambda: r.choice(COURTS),
            "sentence": lambda: r.choice(SENTENCES),
            "landmark": lambda: r.choice(LANDMARKS),
            "event": lambda: r.choice(EVENTS),
            "initiative": lambda: r.choice(INITIATIVES),
            "pay_item": lambda: r.choice(PAY_ITEMS),
            "pay_item_cap": lambda: _cap(r.choice(PAY_ITEMS)),
            "training_topic": lambda: r.choice(TRAINING_TOPICS),
            "university": lambda: r.choice(UNIVERSITIES),
            "month": lambda: r.choice(MONTHS),
            "weekday": lambda: r.choice(WEEKDAYS),
            "small": lambda: r.choice(SMALL),
            "small2": lambda: r.choice(SMALL),
            "ordinal": lambda: r.choice(ORDINALS),
            "adj_neg": lambda: r.choice(ADJ_NEG),
            "number": lambda: str(r.randint(12, 480)),
            "age": lambda: str(r.randint(17, 64)),
            "year": lambda: str(r.randint(self.year - 9, self.year - 1)),
            "year2": lambda: str(r.randint(self.year - 9, self.year - 1)),
            "percent": lambda: f"{r.randint(3, 48)} per cent",
            "money": self._money,
            "time": lambda: (
                f"{r.randint(1, 11)}.{r.choice(('05', '15', '30', '40', '50'))}"
                f"{r.choice(('am', 'pm'))}"
            ),
        }

    def _money(self) -> str:
        if self.rng.random() < 0.5:
            return f"£{self.rng.randint(2, 950)},000"
        return f"£{self.rng.randint(11, 99) / 10:.1f}m"

    def fill(self, template: str, **extra: str) -> str:
        def one(m: re.Match[str]) -> str:
            key = m.group(1)
            if key in extra:
                return extra[key]
            return self.slots[key]()

        return _SLOT.sub(one, template)

    # --- pieces of an article ------------------------------------------------------------------

    def category(self) -> str:
        return self.rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]

    def title(self, category: str) -> str:
        return _cap(self.fill(self.rng.choice(TITLES[category])))

    def standfirst(self, category: str) -> str:
        return _cap(self.fill(self.rng.choice(STANDFIRSTS[category])))

    def sentence(self, category: str, used: set[str]) -> str:
        pool = [t for t in TEMPLATES[category] + GENERIC if t not in used]
        if not pool:
            used.clear()
            pool = list(TEMPLATES[category] + GENERIC)
        # three in four sentences come from the category's own templates
        own = [t for t in pool if t not in GENERIC]
        template = self.rng.choice(own if own and self.rng.random() < 0.75 else pool)
        used.add(template)
        quote = self.fill(self.rng.choice(QUOTES[category]))
        return _cap(self.fill(template, quote=quote))

    def paragraph(self, category: str, used: set[str], lead: str = "") -> str:
        """25 to 60 words of whole sentences (starting with `lead`, if given)."""
        for _ in range(100):
            target = self.rng.randint(25, 60)
            sentences: list[str] = [lead] if lead else []
            words = len(lead.split())
            for _ in range(30):
                if words >= target:
                    break
                s = self.sentence(category, used)
                n = len(s.split())
                if words + n > 60:
                    continue
                sentences.append(s)
                words += n
            if 25 <= words <= 60:
                return " ".join(sentences)
        raise RuntimeError("could not build a paragraph")  # pragma: no cover

    def paragraphs(self, category: str, *, lead: str = "") -> list[str]:
        """4 to 9 paragraphs; `lead` (a sentence) opens the first one."""
        used: set[str] = set()
        out = [self.paragraph(category, used) for _ in range(self.rng.randint(4, 9))]
        if lead:
            out[0] = self.paragraph(category, used, lead=lead)
        return out

    def bullets(self, category: str) -> list[str]:
        items = self.rng.sample(BULLETS[category], k=min(len(BULLETS[category]), 3))
        extra = self.rng.randint(0, 2)
        items += self.rng.sample(BULLETS[category], k=extra)
        seen: list[str] = []
        for item in items:
            text = _cap(self.fill(item))
            if text not in seen:
                seen.append(text)
        return seen

    def cp1252_sentence(self) -> str:
        year = self.year
        return CP1252_SENTENCE.format(
            thousands=self.rng.randint(20, 900),
            year=year,
            yy=f"{(year + 1) % 100:02d}",
            accented=self.rng.choice(("Renée", "André", "Zoé", "Chloé", "José")),
            surname=self.rng.choice(SURNAMES),
        )

    def comment_text(self) -> str:
        k = self.rng.randint(1, 3)
        return " ".join(self.rng.sample(COMMENT_SENTENCES, k=k))

    def commenter(self) -> str:
        return self.rng.choice(COMMENTERS)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
