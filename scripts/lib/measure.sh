# Shared by the side-by-side benchmarks (scripts/bench-vs-browser, scripts/bench-video): how
# a program's CPU and memory are read from /proc while it runs alone on one Xvfb. Source it
# after setting `tmp` (a scratch folder), `xvfb` (the X server's pid), `warmup` and `secs`.

hz=$(getconf CLK_TCK)

# All processes in the tree under $1 (itself included).
tree() {
  local pid=$1 kid
  echo "$pid"
  for kid in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$kid"; done
}

# CPU ticks (user + system) of the given processes.
ticks() {
  local sum=0 pid f
  for pid in "$@"; do
    f=$(sed 's/^.*) //' /proc/"$pid"/stat 2>/dev/null) || continue
    set -- $f
    sum=$((sum + ${12} + ${13}))
  done
  echo $sum
}

# Proportional set size summed over the given processes, MiB.
pss_mib() {
  local kib=0 pid v
  for pid in "$@"; do
    v=$(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup 2>/dev/null) || continue
    kib=$((kib + ${v:-0}))
  done
  echo $((kib / 1024))
}

# Starts "$@" in the background (output in $tmp/out), waits `warmup` seconds, measures for
# `secs`; runs `before_stop` (if defined) while it still runs, then stops it. Prints
# "cpu% xvfb% pss".
measure() {
  "$@" >"$tmp/out" 2>&1 &
  local root=$! pids t0 x0 t1 x1 pss
  sleep "$warmup"
  pids=$(tree $root)
  t0=$(ticks $pids) x0=$(ticks $xvfb)
  sleep "$secs"
  pids=$(tree $root)
  t1=$(ticks $pids) x1=$(ticks $xvfb)
  pss=$(pss_mib $pids)
  if declare -F before_stop >/dev/null; then before_stop >"$tmp/before-stop" 2>&1 || true; fi
  kill $pids 2>/dev/null || true
  wait $root 2>/dev/null || true
  sleep 1
  awk -v t=$((t1 - t0)) -v x=$((x1 - x0)) -v hz="$hz" -v s="$secs" -v p="$pss" \
    'BEGIN { printf "%5.1f %5.1f %6d", 100 * t / hz / s, 100 * x / hz / s, p }'
}
