#!/bin/sh
# Regenerates the real-tool samples of this folder in a private network namespace (needs root and
# Debian 12's iptables package, 1.8.9): the loaded rules never touch the host. IPv6 uses the
# legacy backend because ip6tables-nft-restore 1.8.9 drops the -c counters.
set -e
cd "$(dirname "$0")"
unshare -n sh -c '
  iptables-restore -c < constructs.rules
  iptables-save -c > constructs.save
  iptables -L -n -v -x > constructs.list
  iptables -L -n -v --line-numbers > constructs-rounded.list
  ip6tables-legacy-restore -c < v6.rules
  ip6tables-legacy-save -c > v6.save
  ip6tables-legacy -L -n -v -x > v6.list
'
