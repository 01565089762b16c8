"""Schulte's browser front end: thin adapters between the DOM and ``core``.

Nothing here decides a game rule: taps go to ``core.Game``, sessions come from
``core.TrainingSession``, scores from ``core.scoring``. These modules paint, listen and store.
"""
