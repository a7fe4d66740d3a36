"""The driver's parser (bmc_tui/driver.py) with bracketed pastes as a terminal sends them."""

from __future__ import annotations

from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

from bmc_tui.driver import PasteParser

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE = (
    "A\x07B\x1b[31mRED\x1b[0mC\x08D\x01E\ttab\u202eRLO\u200bZW end"
    "\x1b]0;title\x07!\x1b]8;;http://x\x1b\\L\x1bz"
)


def parsed(parser: XTermParser, *chunks: str) -> list[Message]:
    """What the parser makes of `chunks`, read one after another (as the driver reads)."""
    messages: list[Message] = []
    for chunk in chunks:
        if chunk:  # an empty read is the end of input
            messages.extend(parser.feed(chunk))
    return messages


def pastes_and_keys(messages: list[Message]) -> list[tuple[str, str]]:
    return [
        ("paste", m.text) if isinstance(m, events.Paste) else ("key", m.key)
        for m in messages
        if isinstance(m, events.Paste | events.Key)
    ]


def test_textual_types_what_follows_an_escape_in_a_paste_as_keys() -> None:
    """Why the driver has its own parser: Textual 8.2.8's reorders such a paste."""
    got = pastes_and_keys(parsed(XTermParser(), f"{START}Hello\x1b[31mWorld{END}"))
    assert got[-1] == ("paste", "Hello") and ("key", "W") in got


def test_a_paste_keeps_its_text_in_order_without_escape_sequences() -> None:
    got = pastes_and_keys(parsed(PasteParser(), f"x{START}Hello\x1b[31mWorld{END}y"))
    assert got == [("key", "x"), ("paste", "HelloWorld"), ("key", "y")]
    got = pastes_and_keys(parsed(PasteParser(), f"{START}{HOSTILE}{END}"))
    # Control characters stay for the app to clean (widgets/paste.py); no key is typed.
    assert got == [("paste", "A\x07BREDC\x08D\x01E\ttab\u202eRLO\u200bZW end!Lz")]


def test_a_paste_split_between_reads_anywhere_is_the_same_paste() -> None:
    data = f"k{START}{HOSTILE}{END}\x1b[A"
    whole = pastes_and_keys(parsed(PasteParser(), data))
    assert whole == [
        ("key", "k"),
        ("paste", "A\x07BREDC\x08D\x01E\ttab\u202eRLO\u200bZW end!Lz"),
        ("key", "up"),
    ]
    for cut in range(1, len(data)):
        assert pastes_and_keys(parsed(PasteParser(), data[:cut], data[cut:])) == whole, cut


def test_keys_outside_a_paste_are_passed_on_at_once() -> None:
    parser = PasteParser()
    assert pastes_and_keys(parsed(parser, "\x1b[A", "q")) == [("key", "up"), ("key", "q")]
    # A lone Esc is not held back: the parser times it out as the Escape key.
    assert parser.without_pasted_escapes("\x1b") == "\x1b"


def test_an_escape_sequence_that_never_ends_is_dropped_not_kept() -> None:
    parser = PasteParser()
    flood = "\x1b[" + "1;" * 5000
    got = pastes_and_keys(parsed(parser, START + "a", flood, "b" + END))
    assert got == [("paste", "ab")]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_long_unbracketed_paste_is_one_paste_not_keys() -> None:
    # tmux's paste-buffer without -p, or a terminal without bracketed paste: the text came
    # as keys, 20,000 of them took half a minute, and each line end was Enter, after which
    # the text acted as commands ("d" deletes an item).
    clock = Clock()
    parser = PasteParser(clock=clock)
    text = "".join(f"line {n}: a dock for ferries\r" for n in range(800))  # ~25,000
    reads = [text[at : at + 4096] for at in range(0, len(text), 4096)]
    got: list[Message] = []
    for read in reads:
        got += parser.feed(read)
        clock.now += 0.002  # the reads of one paste follow each other closely
    assert got == []  # held until the reads stop
    due = parser.due()
    assert due is not None
    clock.now += 0.06
    got += parser.tick()
    assert pastes_and_keys(got) == [("paste", text)]
    assert parser.due() is None
    # Typing goes on as keys.
    assert pastes_and_keys(parsed(parser, "d")) == [("key", "d")]


def test_typing_even_many_keys_at_once_stays_keys() -> None:
    clock = Clock()
    parser = PasteParser(clock=clock)
    # A slow link delivers a fast typist's keys together: still keys, Enter included.
    burst = "Ferry\raNight\rdd" * 5  # 70 characters
    got = pastes_and_keys(parsed(parser, burst))
    assert ("paste", burst) not in got and len(got) == len(burst)
    assert got[5] == ("key", "enter")
    # A read with an escape sequence or a control key is typing, however long.
    arrows = "x" * 200 + "\x1b[A"
    assert ("key", "up") in pastes_and_keys(parsed(parser, arrows))
    assert parser.due() is None


def test_a_key_typed_after_an_unbracketed_paste_comes_after_it() -> None:
    clock = Clock()
    parser = PasteParser(clock=clock)
    text = "p" * 300
    assert list(parser.feed(text)) == []
    clock.now += 0.5  # a key typed later, before the driver's tick ran
    got = pastes_and_keys(list(parser.feed("\x1b[A")))
    assert got == [("paste", text), ("key", "up")]
    # A short read right after a paste continues it; after a pause it is a key again.
    assert list(parser.feed(text)) == []
    clock.now += 0.01
    assert list(parser.feed("tail")) == []
    clock.now += 0.06
    assert pastes_and_keys(list(parser.tick())) == [("paste", text + "tail")]
    assert pastes_and_keys(list(parser.feed("k"))) == [("key", "k")]
