/** Go's time.Duration.String() for a whole number of seconds: `0s`, `45s`, `5m3s`, `26h0m5s`. */
export function goDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (h > 0) return `${h}h${m}m${s % 60}s`
  if (m > 0) return `${m}m${s % 60}s`
  return `${s}s`
}
