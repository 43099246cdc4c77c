#!/usr/bin/env bash
# Keeps the package graph pointing one way (see README, "Design"):
# only cmd/ wires storage in; the domain package stays free of adapters;
# handlers never reach into storage or the importers.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0
while read -r pkg imports; do
  rel=${pkg#"$mod"}
  for imp in $imports; do
    case "$rel:$imp" in
      /cmd/*:*|/scripts/*:*|/storage/storagetest:*) ;;
      *:"$mod/storage")
        echo "import direction: $pkg imports $imp (only cmd/ may)"; fail=1 ;;
      ":$mod"/*)
        echo "import direction: the domain package imports $imp"; fail=1 ;;
      /handlers:"$mod/posts"|/feeds:"$mod/handlers"|/storage:"$mod/handlers"|/storage:"$mod/feeds"|/sanitize:"$mod"*|/feeds:"$mod/posts")
        echo "import direction: $pkg imports $imp"; fail=1 ;;
      # handlers reach polling and delivery through interfaces main fills;
      # ingest and relay do not know each other; the outbound client and
      # the platform formatters depend on nothing of ours but the domain.
      /handlers:"$mod/ingest"|/handlers:"$mod/relay"*|/ingest:"$mod/relay"*|/relay*:"$mod/ingest"|/safehttp:"$mod"*|/groupcommit:"$mod"*|/relay/*:"$mod/relay"|/storage:"$mod/ingest"|/storage:"$mod/relay"*)
        echo "import direction: $pkg imports $imp"; fail=1 ;;
    esac
  done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
if [ "$fail" -ne 0 ]; then exit 1; fi
echo "import direction: ok"
