// Package relay delivers new articles to chat groups and webhooks from the
// outbox: it claims due deliveries per target, paces them by the
// platform's rate limit, sends what the platform's formatter builds, and
// records the answer (delivered, retry with backoff, wait as told, dead).
package relay
