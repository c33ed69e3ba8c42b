#!/usr/bin/env bash
# Waits until Argo CD runs IMAGE in APP: the application Synced and Healthy and IMAGE among the
# images it reports, through Argo CD's API (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN: a read-only account's
# token). A rollout takes minutes (its canary steps and analysis, decision 0025); one that Argo
# Rollouts aborted leaves the application Degraded on IMAGE, which fails the wait at once. Gives up
# after TIMEOUT_SECONDS (1200), saying what Argo CD last said.
#   IMAGE=<registry>/bazaar@sha256:… APP=bazaar tools/smoke/scripts/wait-for-argocd.sh
set -euo pipefail
: "${ARGOCD_SERVER:?ARGOCD_SERVER: missing, the address of Argo CD (https://argocd.example.com)}"
: "${ARGOCD_AUTH_TOKEN:?ARGOCD_AUTH_TOKEN: missing, a token of an account that may read APP}"
: "${IMAGE:?IMAGE: missing, the image the application must run}"
app="${APP:-bazaar}"
deadline=$((SECONDS + ${TIMEOUT_SECONDS:-1200}))
state="no answer"
while ((SECONDS < deadline)); do
  if answer="$(curl --silent --show-error --fail --max-time 10 \
    --header "Authorization: Bearer $ARGOCD_AUTH_TOKEN" \
    "${ARGOCD_SERVER%/}/api/v1/applications/$app")"; then
    state="$(jq -r '"\(.status.sync.status) \(.status.health.status)"' <<<"$answer")"
    if [ "$state" = "Synced Healthy" ] && jq -e --arg image "$IMAGE" \
      '.status.summary.images // [] | index($image)' <<<"$answer" >/dev/null; then
      echo "argocd: $app runs $IMAGE, Synced and Healthy"
      exit 0
    fi
    if [ "$state" = "Synced Degraded" ] && jq -e --arg image "$IMAGE" \
      '.status.summary.images // [] | index($image)' <<<"$answer" >/dev/null; then
      echo "argocd: $app is Degraded on $IMAGE: a rollout's analysis failed and it was rolled back (kubectl argo rollouts list rollouts -n bazaar)" >&2
      exit 1
    fi
  fi
  sleep "${POLL_SECONDS:-10}"
done
echo "argocd: $app does not run $IMAGE after ${TIMEOUT_SECONDS:-1200} s (last: $state)" >&2
exit 1
