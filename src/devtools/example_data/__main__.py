"""``python -m devtools.example_data [DATA_DIR] [--size N]``."""

from devtools.example_data import main

if __name__ == "__main__":
    raise SystemExit(main())
