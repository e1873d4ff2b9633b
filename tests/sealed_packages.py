"""Opening a municipality's sealed package in a test, with the passphrase the render stored
(the session's throwaway passphrase file, see conftest.py, unless another is given)."""

from __future__ import annotations

import os
from pathlib import Path


def passphrase_for(folder: Path, keys: Path | None = None) -> str:
    from analysis.delivery.passphrases import KeyStore

    code = Path(folder).name.split("-", 1)[0]
    store = KeyStore(keys or Path(os.environ["RAPPORT_NOEGLER"]))
    return store.read()[code]["adgangsfrase"]


def open_package(folder: Path, keys: Path | None = None) -> dict[str, bytes]:
    """The plain files inside ``folder``'s sealed ``rapport.html``."""
    from analysis.delivery.packages import open_folder

    return open_folder(folder, passphrase_for(folder, keys))


def unseal(folder: Path, target: Path, keys: Path | None = None) -> Path:
    """Write the plain files of the package in ``folder`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name, data in open_package(folder, keys).items():
        (target / name).write_bytes(data)
    return target
