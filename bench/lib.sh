# bench/lib.sh - sourced by the bench scripts: timing and the one results
# format `bench/run.sh` (make bench) turns into its table.
#
# result WORKLOAD DOPPEL_S REF_NAME REF_S ROWS RSS_MB
#   one row of the table: doppel's seconds for the workload, the reference
#   tool's seconds measured in the same script on the same server ("-" when
#   there is none), the rows moved and doppel's peak RSS in MB. Written to
#   $BENCH_OUT (tab-separated) when set; always echoed.
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
result() {
	_ratio=- _ref=$4
	[ "$4" != "-" ] && _ratio=$(printf '%.2f' "$(echo "$2 / $4" | bc -l)") && _ref=$(printf '%.2f' "$4")
	_rps=$(printf '%.0f' "$(echo "$5 / $2" | bc -l)")
	printf 'result: %s | doppel %.2f s | %s %s s | ratio %s | %s rows/s | %s MB\n' \
		"$1" "$2" "$3" "$_ref" "$_ratio" "$_rps" "$6"
	[ -n "${BENCH_OUT:-}" ] && printf '%s\t%.2f\t%s\t%s\t%s\t%s\t%s\n' \
		"$1" "$2" "$3" "$_ref" "$_ratio" "$_rps" "$6" >>"$BENCH_OUT"
	return 0
}
# rss_mb FILE: GNU time's %M (KB) in FILE as MB
rss_mb() { echo $(( $(head -1 "$1" | cut -d' ' -f1) / 1024 )); }
