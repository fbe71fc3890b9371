/** What the client prints for the daemon when the agent's API does not answer (cilium/cmd/version.go notResponding). */
export const NOT_RESPONDING = 'Not responding'

/**
 * `cilium version` as the v1.13 agent CLI prints it (cilium/cmd/version.go getVersion): the client's own version, then
 * the daemon's from its debuginfo, or `Not responding`. A real build's string goes on with its commit, date and Go
 * version (pkg/version/version.go); the twin does not know those, so it prints the release only, as `cilium status`
 * does.
 */
export function formatVersion(client: string, daemon: string | undefined): string {
  return `Client: ${client}\nDaemon: ${daemon ?? NOT_RESPONDING}\n`
}
