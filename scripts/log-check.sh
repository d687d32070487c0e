#!/usr/bin/env bash
# log-check.sh LOG: fails (and shows the lines) when the server's log of a run holds an ERROR
# line: a 5xx answer is one (tower-http's TraceLayer logs every server error at ERROR), so is a
# panic or a database failure. One ERROR is expected and allowed: the staff desk's journey
# makes an outbox event dead on purpose (webhooks go to a port nobody listens on until the test
# starts a receiver), and a dead event is logged at ERROR for operators.
set -uo pipefail
log=${1:?server log}
[ -f "$log" ] || { echo "no server log at $log"; exit 1; }
# ANSI colours off, then every ERROR line that is not the expected one.
bad=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(^|[ "])ERROR[ "]' | grep -v 'an outbox event is dead: staff can replay it')
if [ -n "$bad" ]; then
    echo "the server logged errors during the run:"
    echo "$bad" | head -40
    exit 1
fi
echo "server log: no ERROR line, no 5xx answer ($(wc -l < "$log") lines read)"
