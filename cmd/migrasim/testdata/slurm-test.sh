#!/usr/bin/env bash
# slurm-test.sh BINARY: runs a migrasim sweep through a real Slurm cluster of
# one node started on this machine (munged, slurmctld and slurmd, with
# proctrack/linuxproc and task/none, all state in a temporary folder), and
# checks that:
#   1. a sweep of 16 runs submitted as a 4-task job array with the scripts
#      'migrasim sweep slurm' writes, merged by the dependent merge job, is
#      byte-identical to the same sweep run locally in one process;
#   2. when one array task is killed (SIGKILL) in the middle of its runs,
#      resubmitting that task alone runs only the runs it had not finished,
#      and the merge has every run exactly once, byte-identical again.
# It stops the daemons it started, whatever happens. 'make slurm-test' runs
# it after installing slurm-wlm and munge from Debian if they are missing.
set -euo pipefail

BIN=$(realpath "${1:?usage: slurm-test.sh path/to/migrasim}")
T0=$(date +%s)
WORK=$(mktemp -d /tmp/migrasim-slurm.XXXXXX)
chmod 755 "$WORK" # munged wants its socket's folders open to all
mkdir -p "$WORK"/{etc,run,log,state,spool,munge,sweeps}
chmod 700 "$WORK/munge"
NODE=$(hostname -s)
PORT=$((20000 + RANDOM % 20000))
export SLURM_CONF=$WORK/etc/slurm.conf
STARTED=()

say() { printf '[slurm-test %3ds] %s\n' $(($(date +%s) - T0)) "$*"; }
fail() {
	say "FAIL: $*"
	say "daemon logs and sweeps are kept in $WORK"
	KEEP=1
	exit 1
}

# alive PID: the process runs (a zombie waiting for its reaper does not).
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

stop_daemons() {
	local rc=$?
	local i
	for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do # slurmd, slurmctld, then munged
		local pidfile=${STARTED[i]}
		[ -f "$pidfile" ] || continue
		local pid
		pid=$(cat "$pidfile")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	done
	[ ${#STARTED[@]} -gt 0 ] && say "stopped the daemons this test started (munged, slurmctld, slurmd)"
	if [ "${KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
		echo "--- slurmctld.log (last lines)"; tail -n 15 "$WORK/log/slurmctld.log" 2>/dev/null || true
		echo "--- slurmd.log (last lines)"; tail -n 15 "$WORK/log/slurmd.log" 2>/dev/null || true
	else
		rm -rf "$WORK"
	fi
	exit $rc
}
trap stop_daemons EXIT

for cmd in munged slurmctld slurmd sbatch scontrol squeue scancel sinfo; do
	command -v "$cmd" >/dev/null || fail "$cmd not found: install slurm-wlm and munge ('make slurm-install')"
done

# --- the cluster -------------------------------------------------------------
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge/munge.key"
munged --socket="$WORK/run/munge.socket" --key-file="$WORK/munge/munge.key" \
	--pid-file="$WORK/run/munged.pid" --seed-file="$WORK/munge/munged.seed" \
	--log-file="$WORK/log/munged.log"
STARTED+=("$WORK/run/munged.pid")

USER_NAME=$(id -un)
cat >"$SLURM_CONF" <<EOF
ClusterName=migrasimtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=$USER_NAME
SlurmdUser=$USER_NAME
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/run/munge.socket
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=3600
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" -i
STARTED+=("$WORK/run/slurmctld.pid")
slurmd -f "$SLURM_CONF" -N "$NODE"
STARTED+=("$WORK/run/slurmd.pid")
for _ in $(seq 100); do
	state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.2
done
[ "$state" = idle ] || fail "node $NODE is '$state', not idle"
say "single-node cluster up: node $NODE, $(nproc) CPUs, slurmctld port $PORT, state in $WORK"

# --- helpers -----------------------------------------------------------------
# job_state JOB: the state of a job (or of an array task, JOB_I).
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2; }

# wait_job JOB: waits until the job has left the queue; prints its state.
wait_job() {
	local state
	for _ in $(seq 1500); do
		state=$(job_state "$1")
		case $state in
		PENDING | RUNNING | CONFIGURING | COMPLETING | "") ;;
		*) echo "$state"; return ;;
		esac
		if [ "$state" = PENDING ] && scontrol show job "$1" | grep -q DependencyNeverSatisfied; then
			echo DependencyNeverSatisfied; return
		fi
		sleep 0.2
	done
	echo TIMEOUT
}

# wait_array JOB: waits until no task of array job JOB is queued or running.
wait_array() {
	for _ in $(seq 1500); do
		[ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return
		sleep 0.2
	done
	fail "array job $1 still running after 300 s"
}

# local_sweep DIR ARGS: plans ARGS into DIR and runs it in one process.
local_sweep() {
	local dir=$1
	shift
	"$BIN" sweep plan deportation-feedback "$@" --out "$dir" >/dev/null
	"$BIN" sweep run "$dir" --log text --quiet >/dev/null
	"$BIN" sweep merge "$dir" >/dev/null
}

# same DIR_A DIR_B: the merged outputs are byte-identical.
same() {
	for f in series.csv summary.csv runs.csv; do
		cmp -s "$1/merged/$f" "$2/merged/$f" || fail "$f of $1 differs from $2"
	done
	say "merged series.csv, summary.csv and runs.csv byte-identical to the local run ($(wc -l <"$1/merged/series.csv") series rows, $(($(wc -l <"$1/merged/runs.csv") - 1)) runs, sha256 $(sha256sum "$1/merged/series.csv" | cut -c1-12))"
}

# runs_of LOG: the runs a task's JSON log says succeeded, one per line.
runs_of() { grep '"event":"run"' "$1" | grep '"status":"succeeded"' | grep -o '"run":[0-9]*' | cut -d: -f2 | sort; }

# list FILE: the lines of FILE on one line.
list() { sort -n "$1" | paste -sd ' ' -; }

# --- pass 1: a sweep as a job array, merged by a dependent job ----------------
ARGS1=(--scale 0.002 --months 84)
S1=$WORK/sweeps/pass1
planned=$("$BIN" sweep plan deportation-feedback "${ARGS1[@]}" --out "$S1")
say "pass 1: ${planned%%$'\n'*}"
"$BIN" sweep slurm "$S1" --tasks 4 --concurrent 2 --time 00:10:00 >"$WORK/pass1-slurm.txt"
grep -q -- '--array=0-3%2' "$S1/slurm/sweep.sbatch" || fail "sweep.sbatch has no --array=0-3%2"
grep -q -- '--dependency=afterok' "$S1/slurm/submit.sh" || fail "submit.sh has no --dependency=afterok"
ids=$(sh "$S1/slurm/submit.sh")
ARRAY1=$(echo "$ids" | sed -n 's/^array job \([0-9]*\), merge job \([0-9]*\)$/\1/p')
MERGE1=$(echo "$ids" | sed -n 's/^array job \([0-9]*\), merge job \([0-9]*\)$/\2/p')
[ -n "$ARRAY1" ] && [ -n "$MERGE1" ] || fail "submit.sh said '$ids'"
say "pass 1: submitted job array $ARRAY1 (4 tasks, 2 at once) and merge job $MERGE1 (afterok:$ARRAY1)"
state=$(wait_job "$MERGE1")
[ "$state" = COMPLETED ] || fail "merge job $MERGE1 ended $state"
for i in 0 1 2 3; do
	s=$(job_state "${ARRAY1}_$i")
	[ "$s" = COMPLETED ] || fail "array task ${ARRAY1}_$i ended $s"
done
n=$(cat "$S1"/slurm/logs/task-*-job-"$ARRAY1".out | grep -c '"event":"run"')
[ "$n" = 16 ] || fail "the task logs report $n finished runs, want 16"
say "pass 1: 4 array tasks COMPLETED, 16 run lines in their JSON logs, merge job COMPLETED"
L1=$WORK/sweeps/local1
local_sweep "$L1" "${ARGS1[@]}"
same "$S1" "$L1"

# --- pass 2: kill a task mid-run, resubmit it, merge ---------------------------
# Longer runs (about a second each), so that task 1 can be caught between its
# first and its last run; each task runs its 4 runs one after another.
ARGS2=(--scale 0.3 --months 120)
S2=$WORK/sweeps/pass2
"$BIN" sweep plan deportation-feedback "${ARGS2[@]}" --out "$S2" >/dev/null
"$BIN" sweep slurm "$S2" --tasks 4 --concurrent 2 >/dev/null
ids=$(sh "$S2/slurm/submit.sh")
ARRAY2=$(echo "$ids" | sed -n 's/^array job \([0-9]*\), merge job \([0-9]*\)$/\1/p')
MERGE2=$(echo "$ids" | sed -n 's/^array job \([0-9]*\), merge job \([0-9]*\)$/\2/p')
say "pass 2: submitted job array $ARRAY2 and merge job $MERGE2"
STATUS=$S2/tasks/task-0001-of-0004.status
for _ in $(seq 3000); do
	[ -f "$STATUS" ] && [ "$(grep -c '"succeeded"' "$STATUS")" -ge 1 ] && break
	sleep 0.1
done
[ -f "$STATUS" ] || fail "task 1 never recorded a run"
scancel --full --signal=KILL "${ARRAY2}_1"
sleep 1
before=$(grep -c '"succeeded"' "$STATUS")
[ "$before" -ge 1 ] && [ "$before" -lt 4 ] || fail "task 1 had finished $before of its 4 runs when killed; want 1 to 3"
grep -o '"run":[0-9]*,"status":"succeeded"' "$STATUS" | grep -o '[0-9]*' | sort >"$WORK/killed-done.txt"
say "pass 2: killed array task ${ARRAY2}_1 with SIGKILL after $before of its 4 runs (runs $(list "$WORK/killed-done.txt"))"
wait_array "$ARRAY2"
state=$(job_state "${ARRAY2}_1")
[ "$state" != COMPLETED ] || fail "the killed task ended COMPLETED"
state=$(wait_job "$MERGE2")
[ "$state" = DependencyNeverSatisfied ] || [ "$state" = CANCELLED ] || fail "merge job $MERGE2 is $state; it should wait for a dependency that can no longer be met"
scancel "$MERGE2" 2>/dev/null || true
say "pass 2: task 1 ended $(job_state "${ARRAY2}_1"), the others COMPLETED, merge job $MERGE2 held back (DependencyNeverSatisfied) and cancelled"
if "$BIN" sweep merge "$S2" >"$WORK/merge-incomplete.txt" 2>&1; then
	fail "merge of the incomplete sweep succeeded"
fi
say "pass 2: 'migrasim sweep merge' refuses the incomplete sweep: $(grep -o '[0-9]* of 16 runs have no result' "$WORK/merge-incomplete.txt")"
"$BIN" sweep status "$S2" | tail -n 1 | grep -q 'rerun tasks 1 of 4' || fail "sweep status does not say to rerun task 1"

RERUN=$(sbatch --parsable --array=1 "$S2/slurm/sweep.sbatch")
RERUN=${RERUN%%;*}
MERGE3=$(sbatch --parsable --dependency=afterok:"$RERUN" "$S2/slurm/merge.sbatch")
MERGE3=${MERGE3%%;*}
say "pass 2: resubmitted task 1 alone (job $RERUN, --array=1) and a merge job $MERGE3"
state=$(wait_job "$MERGE3")
[ "$state" = COMPLETED ] || fail "merge job $MERGE3 ended $state"
LOG=$(ls "$S2"/slurm/logs/task-1-job-"$RERUN".out)
skipped=$(grep '"event":"start"' "$LOG" | grep -o '"skipped":[0-9]*' | cut -d: -f2)
runs_of "$LOG" >"$WORK/rerun-done.txt"
[ "$skipped" = "$before" ] || fail "the resubmitted task skipped $skipped runs, want $before"
[ "$(wc -l <"$WORK/rerun-done.txt")" = $((4 - before)) ] || fail "the resubmitted task ran $(wc -l <"$WORK/rerun-done.txt") runs, want $((4 - before))"
[ -z "$(comm -12 "$WORK/killed-done.txt" "$WORK/rerun-done.txt")" ] || fail "runs $(comm -12 "$WORK/killed-done.txt" "$WORK/rerun-done.txt") ran twice"
say "pass 2: the resubmitted task skipped the $skipped finished runs and ran the other $((4 - before)) (runs $(list "$WORK/rerun-done.txt"))"
cut -d, -f1 "$S2/merged/runs.csv" | tail -n +2 | sort -n | uniq -c | awk '$1 != 1 { bad = 1 } END { exit bad }' || fail "runs.csv has a run twice"
[ "$(tail -n +2 "$S2/merged/runs.csv" | wc -l)" = 16 ] || fail "runs.csv does not have 16 runs"
say "pass 2: runs.csv has each of the 16 runs exactly once"
L2=$WORK/sweeps/local2
local_sweep "$L2" "${ARGS2[@]}"
same "$S2" "$L2"

say "PASS: Slurm job arrays give the local result, and a killed task resumes without redoing or losing runs"
