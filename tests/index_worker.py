"""A separate process that writes listings or applies the outbox, for the index tests.

python -m tests.index_worker write URL INDEX_DIR PREFIX COUNT
python -m tests.index_worker sync URL INDEX_DIR BATCH
"""

from __future__ import annotations

import sys

from app import create_app
from directory.extensions import db
from directory.indexing import sync
from tests import factories


def main(argv: list[str]) -> None:
    command, url, index_dir = argv[:3]
    app = create_app(
        {"DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir, "SEARCH_CHECK_ON_START": False}
    )
    with app.app_context():
        if command == "write":
            prefix, count = argv[3], int(argv[4])
            for number in range(count):
                session = db.session()
                owner = factories.organization(session, name=f"{prefix} organisatie {number}")
                factories.service(
                    session,
                    owner,
                    name=f"{prefix}dienst{number}",
                    help_codes=("shopping",),
                    neighbourhood=8,
                )
                session.commit()  # the commit applies the outbox under the writer lock
        elif command == "sync":
            sync.BATCH = int(argv[3])
            sync.apply_pending(app)


if __name__ == "__main__":
    main(sys.argv[1:])
