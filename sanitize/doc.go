// Package sanitize holds the one HTML policy for content that comes from outside.
package sanitize
