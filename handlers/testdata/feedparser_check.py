"""Parse feed files with Universal Feed Parser (the parser behind many
readers and planet-style aggregators) and print what it saw as JSON.
Used by TestFeedsParseWithPythonFeedparser."""
import json
import sys

import feedparser

out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out.append({
        "path": path,
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "title": d.feed.get("title", ""),
        "entries": [{
            "id": e.get("id", ""),
            "title": e.get("title", ""),
            "link": e.get("link", ""),
            "published": e.get("published_parsed") and list(e.published_parsed)[:6],
            "content": e.content[0].value if e.get("content") else "",
            "tags": [t.term for t in e.get("tags", [])],
        } for e in d.entries],
    })
json.dump(out, sys.stdout, ensure_ascii=False)
