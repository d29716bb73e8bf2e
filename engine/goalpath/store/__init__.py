"""The review store: every quarterly check-in of ``goalpath review``, in one SQLite file.

>>> from goalpath.store import Store   # doctest: +SKIP
>>> with Store.open() as store:        # default_path(): $GOALPATH_DB, else the user's data folder
...     store.add("ana", datetime.date(2024, 6, 30), profile=profile, packs=packs, result=result,
...               indicators=indicators, actions={"update-cv": "done"}, note="")
...     store.last("ana", before=datetime.date(2024, 6, 30))

It uses the standard library's ``sqlite3`` alone: the schema is one table, and sqlite3
already gives WAL, transactions and backups, so an ORM or a migration tool would add
weight and nothing else. :mod:`.schema` documents the schema and its versions (and how
to add one); :mod:`.header` tells goalpath's files from others before anything is written;
:mod:`.db` is the :class:`Store`; :mod:`.transfer` is the export format, to move a store
to a new machine; :mod:`.checkin` is the record itself.
"""

from .checkin import CheckIn, Indicator, Pack
from .db import BUSY_TIMEOUT, Store
from .errors import StoreError
from .location import default_path
from .schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT",
    "SCHEMA_VERSION",
    "CheckIn",
    "Indicator",
    "Pack",
    "Store",
    "StoreError",
    "default_path",
]
