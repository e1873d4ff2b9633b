"""Build ``ordliste.txt``, the Danish word list passphrases are drawn from.

Not used at run time: the list is built once and shipped. Run it again with the same two
sources to get the same list::

    pip install wordfreq==3.1.1            # word frequencies, data under CC BY-SA 4.0
    apt-get download wdanish && dpkg-deb -x wdanish_*.deb wdanish   # Den store danske ordliste
    python -m devtools.build_wordlist wdanish/usr/share/dict/danish

The list holds the most frequent Danish words (wordfreq's ``da`` list, in frequency order) that

* are 3 to 6 letters a–z (short, since a PDF password is at most 32 characters in some
  readers; no æ, ø, å, so every keyboard and every PDF reader takes them),
* are spelled that way, lower case, in Den store danske ordliste (so not names or misspellings),
* are not among the 10,000 most frequent English words (loanwords like *team*, *show*), and
* are not on the short list in ``wordlist_excluded.txt`` (beside this file) of words nobody
  wants in a passphrase sent to a municipality,

cut at the first ``SIZE`` such words.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SIZE = 4096
# Words nobody wants in a passphrase sent to a municipality: a text file beside this one.
EXCLUDED_FILE = Path(__file__).with_name("wordlist_excluded.txt")


def read_excluded(path: Path = EXCLUDED_FILE) -> set[str]:
    """The words of ``path``, separated by spaces or line breaks; ``#`` starts a comment."""
    return {word for line in path.read_text("utf-8").splitlines()
            for word in line.split("#", 1)[0].split()}


_WORD = re.compile(r"[a-z]{3,6}")


def build(danish_dictionary: Path) -> list[str]:
    import wordfreq

    spelled = {line.strip() for line in danish_dictionary.read_text("utf-8").splitlines()}
    excluded = read_excluded()
    english = set(wordfreq.top_n_list("en", 10_000))
    words = [w for w in wordfreq.top_n_list("da", 200_000)
             if _WORD.fullmatch(w) and w in spelled and w not in english and w not in excluded]
    if len(words) < SIZE:
        raise SystemExit(f"only {len(words)} words qualify, {SIZE} wanted")
    return sorted(words[:SIZE])


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "analysis" / "delivery" / "ordliste.txt"
    target.write_text("\n".join(build(Path(sys.argv[1]))) + "\n", encoding="utf-8")
    print(f"{SIZE} words written to {target}")
