// The forwarder behind `kubectl port-forward`, run by the kubectl shim in the learner's shell (the lab host's network
// namespace): it listens on the lab host's loopback only and carries each connection into the pod's namespace through
// `ip netns exec NS busybox nc 127.0.0.1 PORT`, as the kubelet's port forwarding dials localhost inside the pod. Plain
// Node with no imports of the project: it runs as it is, outside the daemon.
//
// Usage: node port-forward-relay.mjs NETNS POD ADDRESSES LOCAL:REMOTE...  (ADDRESSES: comma-separated 127.0.0.1, ::1)
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

const [netns, pod, addressList, ...pairs] = process.argv.slice(2)
const addresses = addressList.split(',')
const servers = []
const relays = new Set()

const shown = (address) => (address.includes(':') ? `[${address}]` : address)

/** klog's header, as kubectl prints its errors about one connection: `E0102 15:04:05.000000   PID file:line] `. */
function klog(file, message) {
  const now = new Date()
  const two = (n) => String(n).padStart(2, '0')
  const stamp = `${two(now.getMonth() + 1)}${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds() * 1000).padStart(6, '0')}`
  process.stderr.write(`E${stamp} ${String(process.pid).padStart(7)} ${file}] ${message}\n`)
}

function relay(socket, local, remote) {
  process.stdout.write(`Handling connection for ${local}\n`)
  const nc = spawn('ip', ['netns', 'exec', netns, 'busybox', 'nc', '127.0.0.1', remote], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  relays.add(nc)
  let refused = ''
  socket.pipe(nc.stdin).on('error', () => {})
  nc.stdout.pipe(socket)
  nc.stderr.on('data', (chunk) => (refused += chunk))
  socket.on('error', () => nc.kill())
  nc.on('exit', (code) => {
    relays.delete(nc)
    socket.end()
    if (code !== 0 && refused) {
      klog(
        'portforward.go:400',
        `an error occurred forwarding ${local} -> ${remote}: error forwarding port ${remote} to pod ${pod}, uid : failed to connect to localhost:${remote} inside namespace "${pod}": connect: connection refused`,
      )
    }
  })
}

function listen(address, port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (error) =>
      resolve({
        error: `unable to create listener: Error listen ${address.includes(':') ? 'tcp6' : 'tcp4'} ${shown(address)}:${port}: bind: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`,
      }),
    )
    server.listen({ host: address, port, exclusive: true }, () => resolve({ server }))
  })
}

let forwarded = 0
for (const pair of pairs) {
  let [local, remote] = pair.split(':').map(Number)
  const errors = []
  for (const address of addresses) {
    const result = await listen(address, local)
    if (result.error) {
      errors.push(result.error)
      continue
    }
    // Port 0 asks for any free port; the other address then gets the same one, as kubectl does.
    local ||= result.server.address().port
    const port = local
    servers.push(result.server)
    result.server.on('connection', (socket) => relay(socket, port, remote))
    process.stdout.write(`Forwarding from ${shown(address)}:${port} -> ${remote}\n`)
  }
  if (errors.length === addresses.length)
    process.stderr.write(
      `Unable to listen on port ${local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`,
    )
  else forwarded++
}
if (forwarded === 0) {
  process.stderr.write(
    `error: unable to listen on any of the requested ports: [${pairs.map((p) => `{${p.replace(':', ' ')}}`).join(' ')}]\n`,
  )
  process.exit(1)
}

// kubectl closes its listeners on Ctrl-C and exits 0; the open relays go with them, leaving no process behind.
function stop() {
  for (const server of servers) server.close()
  for (const nc of relays) nc.kill()
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop)
