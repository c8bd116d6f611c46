"""dask as an optional dependency: recognise its collections without importing it."""

import sys

__all__ = ["is_dask_collection", "is_dask_object"]


def is_dask_collection(obj):
    """True for a dask array / DataFrame / Series / Bag / Delayed; never imports dask.

    Nothing can be a dask collection before dask has been imported, so the check costs a
    dictionary look-up for every other input and ``import sparsestat`` stays dask-free.
    """
    if "dask" not in sys.modules:
        return False
    import dask

    return dask.is_dask_collection(obj)


def is_dask_object(obj):
    """A dask collection or a ``distributed.Future`` (something dask computes)."""
    if is_dask_collection(obj):
        return True
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(obj, distributed.Future)
