#!/usr/bin/env bash
# npm audit of the production dependencies at high severity. Where the advisory service cannot be
# reached from the machine (some build hosts have no route to it), say so loudly and go on: the
# check cannot be made there, which is not the same as passing it.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1); rc=$?
echo "$out" | tail -n 20
if [ $rc -ne 0 ] && grep -q "audit endpoint returned an error" <<<"$out"; then
  echo "audit: WARNING — the advisory service is unreachable from this machine; npm audit could not run here"
  exit 0
fi
exit $rc
