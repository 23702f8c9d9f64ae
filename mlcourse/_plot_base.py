"""What every plotting helper needs: axes to draw on, and labels."""

from __future__ import annotations


def axes(ax, figsize: tuple[float, float] | None = None):
    """`ax` itself, or new axes (of `figsize`, if given) on a new figure when ax is None."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def labels(ax, xlabel: str | None, ylabel: str | None, title: str | None) -> None:
    """Set whichever of the x label, y label and title are given."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
