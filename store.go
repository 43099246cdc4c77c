package feedrelay

import "time"

// ArticleQuery selects articles for a feed or page, newest first.
type ArticleQuery struct {
	CategoryID int64 // 0 (AllArticles): every article
	Limit      int
	Offset     int
}

// AllArticles is the category id that stands for the all-articles feed.
const AllArticles int64 = 0

// FeedVersion identifies one state of a feed's content: it changes in the
// same transaction as any article in the feed.
type FeedVersion struct {
	Version int64
	Changed time.Time // when an article in the feed last changed
}

// WriteResult says what a write did to the stored article.
type WriteResult int

// Outcomes of an upsert.
const (
	Created WriteResult = iota + 1
	Updated
	Unchanged
)

func (r WriteResult) String() string {
	switch r {
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}

// UpsertOutcome is what a batch upsert did with one article.
type UpsertOutcome struct {
	Article Article
	Result  WriteResult
	Err     error // this article was not stored; the others in the batch were
}
