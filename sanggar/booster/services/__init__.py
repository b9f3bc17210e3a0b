"""Services of the Booster Suite (see ../README.md). Pages, API, tasks and commands call these."""
