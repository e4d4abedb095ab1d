"""The importer of the exchange format (docs/exchange-format.md).

Importing the package registers the listing, evaluation and measure kinds (listing_writers)
the employment kind (employment_records) and the commitment kinds (commitment_records).
"""

from hub.importer import (
    commitment_records,  # noqa: F401 - registers the kinds
    employment_records,  # noqa: F401 - registers the kind
)
from hub.importer import listing_writers as _listing_writers  # noqa: F401 - registers kinds
