#!/bin/sh
# regen.sh: regenerates the JSON of every sample ruleset (samples/*.nft and
# tests/data/nft/*.nft) with the real nft, inside a private network namespace so that the
# host's ruleset is never touched. Counter values are part of the .nft files.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

# Root can create a network namespace directly; anyone else needs a user namespace too.
if [ "$(id -u)" = 0 ]; then
	ns="unshare -n"
else
	ns="unshare -rn"
fi

for nft_file in "$top"/samples/*.nft "$top"/tests/data/nft/*.nft; do
	[ -e "$nft_file" ] || continue
	json_file="${nft_file%.nft}.json"
	if ! $ns sh -c 'nft -f "$1" && nft -j list ruleset' sh "$nft_file" > "$json_file.tmp"; then
		rm -f "$json_file.tmp"
		echo "regen.sh: nft rejects $nft_file" >&2
		exit 1
	fi
	mv "$json_file.tmp" "$json_file"
	echo "wrote $json_file"
done
