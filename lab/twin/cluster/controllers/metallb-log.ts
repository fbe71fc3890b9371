/**
 * A line of MetalLB 0.13's log as `kubectl logs` shows it: go-kit's JSON logger, its keys sorted (encoding/json
 * writes a map so), `caller` always "level.go:63" (0.12 and 0.13 log through a level wrapper, whose frame go-kit
 * reports), `ts` in RFC 3339 with nanoseconds (log.DefaultTimestampUTC). As in 0.13 controllers' and speakers' logs:
 * {"caller":"level.go:63","event":"ipAllocated","ip":["172.17.255.1"],"level":"info","msg":"IP address assigned by
 * controller","service":"default/web-svc-lb","ts":"2022-06-11T18:14:55.761920837Z"}
 */
import { rfc3339Nano } from '../cluster.ts'

export function metallbLine(fields: Record<string, unknown>, time: number): string {
  const all: Record<string, unknown> = { caller: 'level.go:63', level: 'info', ...fields, ts: rfc3339Nano(time) }
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(all)
        .sort()
        .map((key) => [key, all[key]]),
    ),
  )
}
