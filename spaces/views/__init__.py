"""The spaces pages, one module per page family; `common` holds what they share."""
