"""The vocabulary tables and the token pattern agree: every word a table knows is read by the pattern as its kind
of tag, and every word the pattern reads as a tag of a table's kind has a value in that table. A word added to
one and not the other is a tag the parser finds and cannot name, or a name it can never find."""

import re
import re._parser as sre  # the pattern's own parse tree: its words are enumerated from it, not re-typed here

import pytest
from search.parsing import vocabulary as v
from search.parsing.tokens import BY_FIRST, STARTERS, STRIP, TOKENS, branches

# the tables read by each kind of tag, by the same lookup the parser uses
LOOKUPS = {
    "source": v.source_value,
    "codec": v.CODECS.get,
    "hdr": v.HDR.get,
    "edition": v.edition_value,
    # two-letter codes count only in capitals (`FR`): the parser looks them up as written
    "lang": lambda key: v.LANGUAGES.get(key) or v.LANGUAGE_CODES.get(key.upper()),
    "audio": v.AUDIO.get,
}
TABLES = {
    "source": v.SOURCES,
    "codec": v.CODECS,
    "hdr": v.HDR,
    "edition": v.EDITIONS,
    "lang": v.LANGUAGES,
    "audio": v.AUDIO,
}
# keys the pattern reads only when spelled with a separator: `S.Print` (a bare `Sprint` is a title word)
SPELLINGS = {"sprint": "S.Print", "hqsprint": "HQ.S.Print"}


def _words(tree, limit: int = 20_000) -> set[str]:
    """Every string a (finite) regex parse tree matches, upper- and lower-case as one; a digit class or range
    stands for its first character, enough to name the tag."""
    out = {""}
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            options = {chr(arg).lower()}
        elif name == "IN":
            options = set()
            for item_op, item in arg:
                if str(item_op) == "LITERAL":
                    options.add(chr(item).lower())
                elif str(item_op) == "RANGE":
                    options.add(chr(item[0]).lower())
                elif str(item_op) == "CATEGORY":
                    options.add("1")
        elif name == "BRANCH":
            options = set().union(*(_words(branch, limit) for branch in arg[1]))
        elif name == "SUBPATTERN":
            options = _words(arg[3], limit)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = arg
            inner = _words(sub, limit)
            options = set()
            current = {""}
            for count in range(high + 1):
                if count >= low:
                    options |= current
                current = {a + b for a in current for b in inner}
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # lookarounds match no characters
        elif name == "GROUPREF":
            options = {"1"}
        else:
            raise AssertionError(f"the enumerator does not know {name}")
        out = {a + b for a in out for b in options}
        assert len(out) <= limit, "the pattern's language is too large to enumerate"
    return out


def _branch(kind: str) -> str:
    for branch in branches(TOKENS.pattern):
        if branch.startswith(f"(?P<{kind}>"):
            return branch
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", list(TABLES))
def test_every_word_a_table_knows_is_read_by_the_pattern_as_that_kind(kind: str) -> None:
    unread = []
    for key in TABLES[kind]:
        spellings = (SPELLINGS.get(key, key), key.upper())
        found = [TOKENS.fullmatch(s) for s in spellings]
        if not any(m and m.lastgroup == kind for m in found):
            unread.append(key)
    assert unread == []


@pytest.mark.parametrize("kind", list(TABLES))
def test_every_word_the_pattern_reads_has_a_value_in_the_table(kind: str) -> None:
    words = _words(sre.parse(_branch(kind)))
    assert len(words) > len(TABLES[kind]) / 2  # the enumeration did reach the pattern's words
    lookup = LOOKUPS[kind]
    nameless = []
    for word in sorted(words):
        key = word.translate(STRIP)
        if kind == "audio":
            key = re.sub(r"[1-9][ .]?[0-2]$", "", key)  # `DDP5.1`: the channels are read apart
        if key and lookup(key) is None:
            nameless.append(word)
    assert nameless == []


def test_every_word_that_begins_a_tag_reaches_the_pattern() -> None:
    """The scan skips a word not in STARTERS without trying the pattern: a table key left out of it would
    never be read."""
    missing = [
        key
        for table in TABLES.values()
        for key in table
        if key.isalpha() and SPELLINGS.get(key, key).translate(STRIP).lower() == key and key not in STARTERS
    ]
    assert missing == []
    assert all(BY_FIRST.get(key[0]) for table in TABLES.values() for key in table)
