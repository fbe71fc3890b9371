import { statSync } from 'node:fs'
import { join } from 'node:path'
import { CONTAINER_BIN } from './container-root.ts'

/** The PATH the images' processes run with (kindest/node, VyOS, netshoot: Debian's and Alpine's default). */
export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** A path inside the container as the lab holds it: its own /usr/local/bin (ownBin), the machine's for the rest. */
const onDisk = (path: string, ownBin: string) =>
  path === CONTAINER_BIN || path.startsWith(`${CONTAINER_BIN}/`) ? join(ownBin, path.slice(CONTAINER_BIN.length)) : path

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false

/**
 * What the container runtime answers when the command to exec is not in the container, or null when it is: runc's
 * error (runc 1.1 libcontainer: `exec: "ps": executable file not found in $PATH`, or `stat /bin/x: no such file or
 * directory` for a path), inside the runtime's `OCI runtime exec failed: exec failed: unable to start container
 * process: ...: unknown`, as `docker exec` and containerd print it (moby/moby#31437, containerd/containerd#3597). The
 * twin's own exec would instead say `nsenter: failed to execute ...`, naming a tool of the twin.
 */
export function execNotFound(command: string, ownBin: string, path = CONTAINER_PATH): string | null {
  const found = command.includes('/')
    ? isFile(onDisk(command, ownBin))
    : path.split(':').some((dir) => dir !== '' && isFile(onDisk(join(dir, command), ownBin)))
  if (found) return null
  const detail = command.includes('/')
    ? `exec: "${command}": stat ${command}: no such file or directory`
    : `exec: "${command}": executable file not found in $PATH`
  return `OCI runtime exec failed: exec failed: unable to start container process: ${detail}: unknown`
}
