#!/bin/sh
# Regenerates the JSON listings from the .nft files with the real nft, each in a private
# network namespace so the host's ruleset is never touched. Run from this folder as root.
set -eu
for f in *.nft; do
	unshare -n sh -c "nft -f '$f' && nft -j list ruleset" > "${f%.nft}.json"
done
