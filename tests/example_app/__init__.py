"""The smallest app of the "Adding an app" guide (docs/adding-an-app.md): ticket sales for a hypothetical event
series. It touches no file outside this folder; `tests/test_adding_an_app.py` installs it and proves every
registration is picked up."""
