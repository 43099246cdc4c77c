package feeds

import "github.com/feedrelay/feedrelay"

// xmlText is feedrelay.CleanXMLText: XML 1.0's forbidden characters
// removed, invalid UTF-8 replaced. Every value goes through it before it
// reaches an encoder.
func xmlText(s string) string { return feedrelay.CleanXMLText(s) }

// isXMLChar reports whether XML 1.0 allows r (section 2.2, Char).
func isXMLChar(r rune) bool { return feedrelay.IsXMLChar(r) }
