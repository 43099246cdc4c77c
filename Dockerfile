# syntax=docker/dockerfile:1
# Build: docker build -t feedrelay .
# Run:   docker run -p 8080:8080 -v feedrelay-data:/data \
#          -e FEEDRELAY_BASE_URL=https://feeds.example.com feedrelay
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Pure Go (modernc.org/sqlite), so a static binary runs on scratch.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/feedrelay ./cmd/feedrelay \
 && mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
# CA roots for outbound HTTPS (upstream feeds, relay webhooks).
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/feedrelay /usr/local/bin/feedrelay
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /src/examples/posts /examples/posts
USER 65532:65532
ENV FEEDRELAY_ADDR=:8080 \
    FEEDRELAY_DB=/data/feedrelay.db
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/feedrelay"]
CMD ["serve"]
