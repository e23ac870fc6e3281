# The mock as a container. Build: `docker build -t mock-server .`
# Run one:  docker run --rm -p 8000:8000 -e MOCK_SERVER_ADMIN_TOKEN=change-me mock-server
# Your contracts: mount them at /contracts (`-v "$PWD/openapi:/contracts:ro"`); the bundled ones are there by default.
# Two replicas behind nginx with one Redis: compose.yaml. The test suite runs this file's ENTRYPOINT + CMD
# (with its ENV) as local processes: tests/e2e/test_shared_state.py.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mock_server ./mock_server
RUN pip install . && useradd --system --uid 10001 --no-create-home mock
COPY openapi /contracts

USER mock
# Every option of `serve` is also a MOCK_SERVER_* variable: MOCK_SERVER_STATE=redis://redis:6379/0 shares state,
# MOCK_SERVER_ADMIN_TOKEN protects /__mock (without it, a server bound to 0.0.0.0 refuses to start).
ENV MOCK_SERVER_CONTRACTS=/contracts \
    MOCK_SERVER_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__mock/health' % os.environ.get('MOCK_SERVER_PORT', '8000'), timeout=2)"]
ENTRYPOINT ["mock-server"]
# 0.0.0.0 only here: inside its container the mock must be reachable from the load balancer.
CMD ["serve", "--host", "0.0.0.0"]
