"""What uvicorn's access log keeps: requests that change something or fail, never the UI's polling.

The UI asks the gateway for jobs and health every second; one INFO line for each would bury the lines that
tell what happened. A successful GET or HEAD is logged at DEBUG; a failed request (4xx, 5xx) and every
request that changes something (POST, PUT, PATCH, DELETE) stay at INFO.
"""

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
READS = frozenset({"GET", "HEAD", "OPTIONS"})


class RedactApiKey(logging.Filter):
    """uvicorn logs request paths with their query, and a WebSocket URL may carry `apikey=`."""

    _pattern = re.compile(r"(apikey=)[^&\s\"']+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._pattern.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        return True


class QuietReads(logging.Filter):
    """Lowers a successful read to DEBUG, and drops it unless the access logger shows DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client, method, path with query, HTTP version, status)
        args = record.args
        if not (isinstance(args, tuple) and len(args) == 5 and record.levelno == logging.INFO):
            return True
        method, status = args[1], args[4]
        if method not in READS or not isinstance(status, int) or status >= 400:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(ACCESS_LOGGER).isEnabledFor(logging.DEBUG)


def install() -> None:
    """Put the filters on uvicorn's loggers once, however many gateways this process serves."""
    for name, kinds in ((ACCESS_LOGGER, (RedactApiKey, QuietReads)), ("uvicorn.error", (RedactApiKey,))):
        logger = logging.getLogger(name)
        for kind in kinds:
            if not any(isinstance(f, kind) for f in logger.filters):
                logger.addFilter(kind())
