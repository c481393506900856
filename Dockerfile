# syntax=docker/dockerfile:1
#
# The team server in a small image: `csm serve` on the database named by
# CSM_SERVE_DB, listening on 8765 as a user that is not root.
#
#   docker build -t csm .
#   docker run --rm -p 8765:8765 -e CSM_SERVE_DB='postgres://csm:PASSWORD@db:5432/csm' csm
#
# csm serve reads CSM_SERVE_DB itself, so the entrypoint needs no shell to
# expand it (the runtime image has none) and the URL, password and all,
# stays out of the process's arguments. Without CSM_SERVE_DB the container
# serves the generated demo book (fake data, a published token): set it.
#
# For SQLite, mount a volume on /data, which the image's user owns:
#   docker run -v csm-data:/data -e CSM_SERVE_DB=sqlite:/data/csm.db ...
#
# Administration runs the same binary with the entrypoint replaced:
#   docker run --rm --entrypoint /usr/local/bin/csm csm admin --db "$CSM_SERVE_DB" migrate
#
# No HEALTHCHECK: the runtime image has no shell or curl to run one. Let the
# orchestrator probe GET /healthz instead (Kubernetes httpGet, a load
# balancer's health check); it needs no token and answers 200 while the
# database answers, 503 otherwise.
#
# `docker stop` sends SIGTERM: requests in flight finish (up to 5 s, under
# docker's 10 s grace) and csm exits 0.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so a change of source does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# No cgo (the SQLite driver is pure Go): a static binary for a static image.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/csm . \
 && mkdir -p /out/data

# distroless/static: CA certificates (for PostgreSQL over TLS), tzdata, a
# nonroot user (65532), and nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/csm /usr/local/bin/csm
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
EXPOSE 8765
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/csm", "serve", "--addr", "0.0.0.0:8765"]
