#!/usr/bin/env bash
# Slurm end-to-end test of `mixlab run --executor slurm` on a one-node cluster
# (recipe: slurmctld + slurmd on localhost, munge auth; see experiments/README.md).
#
#   .ci/slurm-test.sh            # as root (or via sudo) on Debian/Ubuntu; installs slurm-wlm + munge if absent
#
# It runs a 4-task job array of the tiny preset (experiments/proxy-sweep-tiny.json, profile
# ci: 4 mixtures), checks that all 4 run files arrived and verify, rebuilds the report with
# `mixlab report`, and stops every daemon it started. Exit status non-zero on any failure.
#
# Environment:
#   MIXLAB_SLURM_CONFIG   config to sweep (default experiments/proxy-sweep-tiny.json)
#   MIXLAB_SLURM_PROFILE  profile (default ci); the plan must have exactly MIXLAB_SLURM_TASKS tasks
#   MIXLAB_SLURM_TASKS    expected number of runs (default 4)
#   MIXLAB_SLURM_TIMEOUT  seconds allowed for the sweep (default 1200)
#
# The cluster's config and state live in a temporary directory (SLURM_CONF points at it), so
# an existing /etc/slurm is never touched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${MIXLAB_SLURM_CONFIG:-experiments/proxy-sweep-tiny.json}"
PROFILE="${MIXLAB_SLURM_PROFILE:-ci}"
TASKS="${MIXLAB_SLURM_TASKS:-4}"
TIMEOUT="${MIXLAB_SLURM_TIMEOUT:-1200}"
T0=$(date +%s)
say() { echo "[slurm-test +$(( $(date +%s) - T0 ))s] $*"; }

if [ "$(id -u)" != 0 ]; then
  # slurmctld/slurmd/munged need root; keep PATH so node/npx are found under sudo
  if command -v sudo >/dev/null; then exec sudo -E env "PATH=$PATH" bash "$0" "$@"; fi
  echo "slurm-test: needs root (starts slurmctld/slurmd/munged) and sudo is not available" >&2; exit 2
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

WORK="$(mktemp -d /tmp/mixlab-slurm.XXXXXX)"
export SLURM_CONF="$WORK/slurm.conf"
H="$(hostname -s)"
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
mkdir -p "$WORK/ctld" "$WORK/d" "$WORK/log"
cat > "$SLURM_CONF" <<CONF
ClusterName=mixlabci
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$WORK/ctld
SlurmdSpoolDir=$WORK/d
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ReturnToService=2
MinJobAge=600
NodeName=$H CPUs=$(nproc) RealMemory=$MEM_MB State=UNKNOWN
PartitionName=main Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF

STARTED_MUNGE=""
cleanup() {
  local rc=$?
  say "shutting the cluster down"
  scontrol shutdown >/dev/null 2>&1 || true
  for f in "$WORK/slurmctld.pid" "$WORK/slurmd.pid"; do
    if [ -s "$f" ]; then
      pid=$(cat "$f")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$STARTED_MUNGE" ]; then kill "$STARTED_MUNGE" 2>/dev/null || true; fi
  if [ $rc -ne 0 ]; then
    echo "---- slurmctld.log (tail)"; tail -20 "$WORK/log/slurmctld.log" 2>/dev/null || true
    echo "---- slurmd.log (tail)"; tail -20 "$WORK/log/slurmd.log" 2>/dev/null || true
    for f in "$WORK"/out/slurm/logs/*.out; do [ -f "$f" ] && { echo "---- $f"; tail -20 "$f"; }; done
  fi
  rm -rf "$WORK"
  say "done (exit $rc)"
  exit $rc
}
trap cleanup EXIT

if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; }
  /usr/sbin/munged --force
  STARTED_MUNGE="$(cat /run/munge/munged.pid)"
  say "munged started (pid $STARTED_MUNGE)"
fi
/usr/sbin/slurmctld -f "$SLURM_CONF"
/usr/sbin/slurmd -f "$SLURM_CONF"
for i in $(seq 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -q idle; then break; fi
  [ "$i" = 60 ] && { say "node never became idle"; sinfo; exit 1; }
  sleep 0.5
done
say "cluster up: $(sinfo -h -o '%P %a %D %T')"

cd "$ROOT"
OUT="$WORK/out"
say "mixlab run $CONFIG --profile $PROFILE --executor slurm --out $OUT"
timeout "$TIMEOUT" npx --no-install mixlab run "$CONFIG" --profile "$PROFILE" --executor slurm --out "$OUT" --poll-seconds 2

n=$(find "$OUT/runs" -maxdepth 1 -name 'run-*.json' | wc -l)
planned=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).tasks.length)' "$OUT/plan.json")
[ "$planned" = "$TASKS" ] || { say "FAIL: plan has $planned tasks, expected $TASKS"; exit 1; }
[ "$n" = "$TASKS" ] || { say "FAIL: $n of $TASKS run files arrived"; exit 1; }
grep -l '"executor":"slurm"' "$OUT"/runs/run-*.json | wc -l | grep -qx "$TASKS" || { say "FAIL: not every run was executed by a Slurm array task"; exit 1; }
npx --no-install mixlab report "$OUT"   # exit 1 if any run is missing or fails its checksum
say "PASS: $n/$TASKS runs arrived through Slurm and verify"
