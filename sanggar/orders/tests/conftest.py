from sanggar.access.tests.conftest import catalog  # noqa: F401  (the Silver / Gold / Platinum catalog)
