"""The learners' glossary ([CLS], attention_mask, pooler_output …) in each language, Qt-free.

The content lives in ``resources/glossary/<language>.json``; every language has the same entry
ids, which are the anchors tooltips link to (``glossary:attention-mask``).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache

from inspector.core.sources import resources_dir

LINK_SCHEME = "glossary"  # tooltips and labels link to "glossary:<entry id>"
_CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class GlossaryEntry:
    id: str  # anchor, the same in every language
    term: str
    aliases: tuple[str, ...]
    title: str
    body: tuple[str, ...]  # paragraphs; `code` in backticks
    example: str
    see: tuple[str, ...]  # ids of related entries

    def matches(self, query: str) -> bool:
        """Case-insensitive substring search over term, aliases, title and text."""
        wanted = query.strip().casefold()
        if not wanted:
            return True
        haystack = (self.id, self.term, *self.aliases, self.title, *self.body, self.example)
        return any(wanted in part.casefold() for part in haystack)


@dataclass(frozen=True)
class Glossary:
    language: str
    title: str
    entries: tuple[GlossaryEntry, ...]

    def entry(self, id_: str) -> GlossaryEntry | None:
        return next((e for e in self.entries if e.id == id_), None)

    def find(self, term: str) -> GlossaryEntry | None:
        """The entry for an id, a term or an alias ("attention-mask", "[SEP]", "EOS" …)."""
        wanted = term.strip()
        if wanted.startswith(f"{LINK_SCHEME}:"):
            wanted = wanted[len(LINK_SCHEME) + 1 :]
        folded = wanted.casefold()
        for entry in self.entries:
            names = (entry.id, entry.term, *entry.aliases)
            if any(folded == name.casefold() for name in names):
                return entry
        return None

    def search(self, query: str) -> list[GlossaryEntry]:
        return [entry for entry in self.entries if entry.matches(query)]


def glossary_languages() -> list[str]:
    return sorted(path.stem for path in (resources_dir() / "glossary").glob("*.json"))


@cache
def load_glossary(language: str = "en") -> Glossary:
    """The glossary in ``language`` (``en`` or ``zh_CN``); English when there is none."""
    folder = resources_dir() / "glossary"
    path = folder / f"{language}.json"
    if not path.is_file():
        path = folder / "en.json"
    data = json.loads(path.read_text("utf-8"))
    entries = tuple(
        GlossaryEntry(
            id=item["id"],
            term=item["term"],
            aliases=tuple(item.get("aliases", ())),
            title=item["title"],
            body=tuple(item["body"]),
            example=item.get("example", ""),
            see=tuple(item.get("see", ())),
        )
        for item in data["entries"]
    )
    return Glossary(language=data["language"], title=data["title"], entries=entries)


def link(entry_id: str) -> str:
    """The href a tooltip or label uses to open an entry."""
    return f"{LINK_SCHEME}:{entry_id}"


def paragraph_html(text: str) -> str:
    """Escaped text with `code` as <code>: nothing in the content becomes live markup."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


def entry_html(entry: GlossaryEntry, glossary: Glossary, see_also: str) -> str:
    """One entry as a block of HTML with its anchor; ``see_also`` is the translated label."""
    subtitle = "" if entry.title == entry.term else f" <small>— {html.escape(entry.title)}</small>"
    parts = [f'<h3><a name="{html.escape(entry.id)}"></a>{html.escape(entry.term)}{subtitle}</h3>']
    parts += [f"<p>{paragraph_html(text)}</p>" for text in entry.body]
    if entry.example:
        parts.append(f"<pre>{html.escape(entry.example)}</pre>")
    related = [glossary.entry(other) for other in entry.see]
    links = [
        f'<a href="#{html.escape(other.id)}">{html.escape(other.term)}</a>'
        for other in related
        if other is not None
    ]
    if links:
        parts.append(f"<p><i>{html.escape(see_also)}</i> {' · '.join(links)}</p>")
    return "\n".join(parts)
