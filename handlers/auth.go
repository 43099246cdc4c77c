package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// requireAdmin guards the write API with "Authorization: Bearer <token>".
// Both sides are hashed before the constant-time compare so neither the
// token's content nor its length leaks through timing.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	want := sha256.Sum256([]byte(s.cfg.AdminToken))
	return func(c echo.Context) error {
		if s.cfg.AdminToken == "" {
			return echo.NewHTTPError(http.StatusForbidden, "the write API is off: start the server with --admin-token or FEEDRELAY_ADMIN_TOKEN to turn it on")
		}
		scheme, token, ok := strings.Cut(c.Request().Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return echo.NewHTTPError(http.StatusUnauthorized, "missing bearer token: send Authorization: Bearer <admin token>")
		}
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			return echo.NewHTTPError(http.StatusUnauthorized, "invalid bearer token")
		}
		return next(c)
	}
}
