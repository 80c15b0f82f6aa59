"""Pages that declare no encoding and are not UTF-8 (pages/charsets.py): real text from pages of
the evaluation corpus (`../shared/corpora/trafilatura-eval/`, read from there), written into an
undeclared page in a legacy encoding, must read back exactly; Western pages in windows-1252 keep
their £, curly quotes and umlauts."""

from __future__ import annotations

import gzip
import json
import re

import lxml.html
import pytest

from pages import quality
from pages.charsets import undeclared_encoding, word_fit
from pages.extract import parse_page
from pages.pagetext import decode_html

EVAL = "trafilatura-eval"

# (the encoding the test page is written in, a corpus page in that language, the script's
# characters): Japanese, Chinese, Russian/Ukrainian, Polish
CASES = [
    ("shift_jis", "www3.nhk.or.jp/news/easy/k10011959621000", r"[\u3040-\u30ff]"),
    ("gb2312", "www.he.xinhuanet.com/news/2012-06/04/content_25340717", r"[\u4e00-\u9fff]"),
    ("cp1251", "football.ua/germany/311510-podolski", r"[\u0400-\u04ff]"),
    ("iso8859_2", "przepisy.pl/przepis/pierogi-z-dynia", r"[ąęłśżźćńó]"),
    ("cp1250", "przepisy.pl/przepis/pierogi-z-dynia", r"[ąęłśżźćńó]"),
]


@pytest.fixture(scope="module")
def corpus():
    root = quality.corpus_dir() / EVAL
    if not (root / "evaldata.json").is_file():
        pytest.skip(f"no {EVAL} corpus in {root.parent} (set {quality.CORPORA_ENV})")
    return root, json.loads((root / "evaldata.json").read_text())


def paragraphs(root, evaldata, fragment: str, script: str, encoding: str) -> list[str]:
    """Paragraphs of the corpus page whose URL holds `fragment` that are written in the script
    and can be written in `encoding`."""
    (entry,) = [e for url, e in evaldata.items() if fragment in url]
    raw = gzip.decompress((root / "html" / f"{entry['file']}.gz").read_bytes())
    tree = lxml.html.document_fromstring(decode_html(raw, "text/html"))
    found = []
    for element in tree.iter("p", "h1", "h2", "li", "td"):
        text = " ".join(element.text_content().split())
        if len(re.findall(script, text)) >= 5:
            try:
                text.encode(encoding)
            except UnicodeEncodeError:
                continue
            found.append(text)
    return list(dict.fromkeys(found))[:12]


def undeclared_page(title: str, paras: list[str], encoding: str) -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    html = f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"
    return html.encode(encoding)


@pytest.mark.parametrize(("encoding", "fragment", "script"), CASES, ids=[c[0] for c in CASES])
def test_an_undeclared_legacy_page_reads_back(corpus, encoding, fragment, script):
    root, evaldata = corpus
    paras = paragraphs(root, evaldata, fragment, script, encoding)
    assert len(paras) >= 2, "the corpus page gives too little text in its script"
    page = undeclared_page(paras[0][:40], paras, encoding)
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")  # really not UTF-8
    text = decode_html(page, "text/html")  # no charset anywhere
    for p in paras:
        assert p in text, (undeclared_encoding(page), p)


WESTERN = [
    "The Police Federation said the £2,000 award was “an insult” to officers – and that "
    "morale in the force’s response teams had never been lower.",
    "Ein Sprecher der Polizei sagte, die Straße sei während der Ermittlungen gesperrt worden; "
    "größere Schäden gebe es nicht – „vorläufig“, hieß es.",
    "Le café près de la gare a été fermé après l’opération de police, a précisé la préfecture.",
]


@pytest.mark.parametrize("paragraph", WESTERN, ids=["english", "german", "french"])
def test_western_pages_stay_windows_1252(paragraph):
    page = undeclared_page("News", [paragraph] * 3, "cp1252")
    assert undeclared_encoding(page) == "cp1252"
    assert paragraph in decode_html(page, "text/html")
    article = parse_page("http://127.0.0.1:1/news/1", page, content_type="text/html")
    assert "£" in article.text or "ß" in article.text or "é" in article.text


def test_utf8_is_utf8_and_the_fit_of_a_reading():
    assert undeclared_encoding("Straße £ 東京".encode()) == "utf-8"
    assert word_fit("Składniki") > word_fit("Sk³adniki")
    assert word_fit("£2,000") > word_fit("Ł2,000")
