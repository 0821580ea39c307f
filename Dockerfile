# The mock server in a container: docker build -t mockserver . && docker run -p 8765:8765 mockserver
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY conformance ./conformance
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN pip install --no-cache-dir .
EXPOSE 8765
# Bind all interfaces inside the container; pass more flags after the image name.
ENTRYPOINT ["mockserver", "serve", "--host", "0.0.0.0", "--port", "8765"]
