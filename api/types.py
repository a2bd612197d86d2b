"""Input types shared by the endpoints."""

from typing import Annotated

from pydantic import Field

# A row's key as a caller may send it: a positive number a database column can hold (a larger one
# is refused by the schema with a 422, before it reaches a query).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
