#!/usr/bin/env bash
# A real single-node Slurm cluster for tests and demos: munged, slurmctld and slurmd run as root (no systemd) from a
# temporary directory, and talk over loopback only.
#   eng/slurm-test-cluster.sh start    start it (idempotent); the last line printed is SLURM_CONF=<file>
#   eng/slurm-test-cluster.sh status   print SLURM_CONF=<file> and the node state; exit 1 when it is not running
#   eng/slurm-test-cluster.sh stop     shut it down and remove its directory
# Then `export SLURM_CONF=<file>` and use sbatch, squeue, scancel as on any cluster.
# Needs root and Debian's slurmctld slurmd slurm-client munge (Slurm 22.05; ./build.sh setup installs them).
# PRUNENOTEBOOK_SLURM_DIR moves the directory (default $TMPDIR/prunenotebook-slurm, else /tmp/...); the daemons use ports 16817/16818.
set -euo pipefail

dir="${PRUNENOTEBOOK_SLURM_DIR:-${TMPDIR:-/tmp}/prunenotebook-slurm}"
conf="$dir/slurm.conf"
socket="$dir/munge/munge.socket"
host="$(hostname -s)"
fail() { printf 'slurm-test-cluster.sh: %s\n' "$*" >&2; exit 1; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

running() { alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid" && alive "$dir/munge/munged.pid"; }

node_state() { SLURM_CONF="$conf" sinfo -h -n "$host" -o '%T' 2>/dev/null | head -n1; }

start() {
  local tool
  for tool in munged slurmctld slurmd sbatch sinfo scontrol; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] \
      || fail "$tool not found: install Debian's slurmctld slurmd slurm-client munge (./build.sh setup does)."
  done
  [[ "$(id -u)" == 0 ]] || fail "the test cluster runs its daemons as root: run this as root (or use your own cluster)."
  if running && [[ "$(node_state)" == idle* || "$(node_state)" == mix* || "$(node_state)" == alloc* ]]; then
    echo "SLURM_CONF=$conf"
    return
  fi
  stop_daemons
  rm -rf "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  # munged refuses a socket whose directories are not searchable by everyone.
  chmod 755 "$dir" "$dir/munge"
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  /usr/sbin/munged --key-file="$dir/munge/munge.key" --socket="$socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    || fail "munged did not start: $(tail -n 3 "$dir/log/munged.log" 2>/dev/null | tr '\n' ' ')"
  local node
  node="$(/usr/sbin/slurmd -C | head -n1)"
  cat > "$conf" <<CONF
ClusterName=prunenotebook-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=2
MinJobAge=60
InactiveLimit=0
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  SLURM_CONF="$conf" setsid /usr/sbin/slurmctld -D -i -f "$conf" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
  SLURM_CONF="$conf" setsid /usr/sbin/slurmd -D -f "$conf" </dev/null >"$dir/log/slurmd.out" 2>&1 &
  local waited=0
  until [[ "$(node_state)" == idle* ]]; do
    sleep 0.5
    waited=$((waited + 1))
    if ((waited > 60)); then
      fail "the node did not come up within 30 s: $(tail -n 3 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" 2>/dev/null | tr '\n' ' ')"
    fi
  done
  echo "SLURM_CONF=$conf"
}

stop_daemons() {
  [[ -f "$conf" ]] && SLURM_CONF="$conf" scontrol shutdown >/dev/null 2>&1 || true
  local file waited
  for file in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do
    waited=0
    while alive "$file" && ((waited < 20)); do sleep 0.25; waited=$((waited + 1)); done
    if alive "$file"; then kill -9 "$(cat "$file")" 2>/dev/null || true; fi
  done
  if alive "$dir/munge/munged.pid"; then
    /usr/sbin/munged --stop --socket="$socket" >/dev/null 2>&1 || kill "$(cat "$dir/munge/munged.pid")" 2>/dev/null || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop_daemons; rm -rf "$dir" ;;
  status)
    if running; then echo "SLURM_CONF=$conf"; echo "node $host: $(node_state)"; else echo "not running ($dir)"; exit 1; fi ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
