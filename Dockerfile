# The mock server in a container: docker build -t mockserver . && docker run -p 8765:8765 mockserver
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY conformance ./conformance
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN pip install --no-cache-dir .
# Build the app once so the parsed OpenAPI documents are cached in the image (faster starts)
RUN python -c "from mockserver import create_app; create_app()"
EXPOSE 8765
# Bind all interfaces inside the container, which opens the control plane to whoever can reach
# the port: pass `--control-token TOKEN` after the image name to protect it.
ENTRYPOINT ["mockserver", "serve", "--host", "0.0.0.0", "--port", "8765", "--unsafe-open-control"]
