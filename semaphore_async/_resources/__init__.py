"""One module per API area; each resource is a thin layer over :class:`~._core.Core`."""
