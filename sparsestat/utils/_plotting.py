"""Shared pieces of the Display classes: matplotlib is imported only when a plot is drawn."""

__all__ = ["get_axes"]


def get_axes(ax, caller):
    """Return ``(ax, figure)``, creating a new figure when ``ax`` is None.

    matplotlib is imported here, at draw time, so that importing a family never loads it.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # an optional dependency
        raise ImportError(f"{caller} requires matplotlib; install it with "
                          "`pip install matplotlib`.") from exc
    if ax is None:
        _, ax = plt.subplots()
    return ax, ax.figure
