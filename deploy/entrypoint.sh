#!/bin/sh
# Entry point of the image. Two roles:
#   hub  the workshop hub and dashboard on :4400 (hosted labs off: on Kubernetes each learner's lab is its own pod).
#        INSTRUCTOR_SECRET and WORKSHOP_CODE (from a Secret) keep the links stable across restarts.
#   lab  one learner's runner with a twin lab on :4242; joins the hub when HUB_JOIN_LINK is set, as LEARNER_NAME.
# Everything after the role is passed on to the script (e.g. `lab --port 5000`).
set -eu
APP_DIR=${APP_DIR:-/app}
cd "$APP_DIR"
role=${1:-lab}
[ $# -gt 0 ] && shift

case "$role" in
  hub)
    exec node --import tsx scripts/instructor.ts --host 0.0.0.0 --port "${HUB_PORT:-4400}" --no-hosted --no-presenter --no-open "$@"
    ;;
  lab)
    if [ -n "${HUB_JOIN_LINK:-}" ]; then
      set -- --join "$HUB_JOIN_LINK" --name "${LEARNER_NAME:-$(hostname)}" "$@"
    fi
    # The runner's Node flags, from the file npm run learn reads them from (why: scripts/bootstrap.mjs).
    # shellcheck disable=SC2046
    exec node $(node -p "require('./runner/node-flags.json').join(' ')") --import tsx scripts/learn.ts --lab twin --host 0.0.0.0 --port "${LAB_PORT:-4242}" --no-open "$@"
    ;;
  *)
    echo "entrypoint: unknown role '$role': use hub or lab" >&2
    exit 2
    ;;
esac
