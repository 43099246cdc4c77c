// Package feedrelay holds the domain types of the feedrelay syndication
// server (articles, categories, attribution), their validation, the GUID
// rule and the error kinds every adapter maps to. It imports the standard
// library only; storage, rendering and HTTP live in packages around it.
package feedrelay
