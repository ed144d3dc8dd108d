"""Settings of the test suite: the development defaults (DEBUG on, so no TLS redirect,
no secure-only cookies and no second factor unless a test asks for them), whatever
the shell exports. Tests of the production defaults start `manage.py` themselves
with DEBUG=0 (tests/security/test_headers_and_deploy.py)."""

import os

os.environ["DEBUG"] = "1"

from config.settings import *  # noqa: E402,F403

# A connection per request, as before persistent connections: the live-server and worker
# threads of the browser tests leave none open behind them.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Document files live in memory during the tests (nothing written to the private folder).
STORAGES = {**STORAGES, "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}  # noqa: F405
# Factories write records without the write services, so nothing would tell the report
# cache; the tests of the cache switch it on (tests/reporting/test_report_cache.py).
TRAJECT_REPORT_CACHE_SECONDS = 0
