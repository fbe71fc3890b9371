import type { TwinContext } from '../context.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { NotEmulatedError } from '../daemon/not-emulated.ts'
import { unknownDockerFlag } from './docker-commands.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { humanDuration } from './human-duration.ts'
import { humanSize, labImages } from './lab-images.ts'

/**
 * `docker images [-a] [-q] [--no-trunc] [--format F] [REPOSITORY[:TAG]]` (also `docker image ls`). Columns and
 * fields as docker/cli cli/command/formatter/image.go: `table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}`,
 * IDs truncated to 12 hex unless --no-trunc (with `sha256:` then).
 */
const DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
const HEADERS = { Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', Size: 'SIZE', Digest: 'DIGEST' }

export function dockerImages(io: ToolIO, lab: TwinContext, argv: string[]): number {
  let format = DEFAULT_FORMAT
  let truncate = true
  let quiet = false
  let filter: string | undefined
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    const words = /^-[a-zA-Z]{2,}$/.test(arg) ? [...arg.slice(1)].map((c) => `-${c}`) : [arg]
    for (const word of words) {
      if (word === '-q' || word === '--quiet') quiet = true
      else if (word === '-a' || word === '--all') continue // the lab's images have no intermediate layers to show
      else if (word === '--no-trunc') truncate = false
      else if (word === '--format') format = argv[++i] ?? ''
      else if (word.startsWith('--format=')) format = word.slice('--format='.length)
      else if (['-f', '--filter', '--digests'].includes(word.split('=')[0])) {
        throw new NotEmulatedError('docker', `images ${word.split('=')[0]}`, 'The twin\'s docker images takes -a, -q, --no-trunc, --format and a REPOSITORY[:TAG] to match.')
      } else if (word.startsWith('-')) {
        io.stderr(unknownDockerFlag(word, 'images'))
        return 125
      } else filter = word
    }
  }
  const now = Date.now()
  const images = labImages(lab, now).filter((image) => {
    if (!filter) return true
    const [repository, tag] = filter.split(':')
    return image.repository === repository && (tag === undefined || image.tag === tag)
  })
  const fields = images.map((image) => ({
    Repository: image.repository,
    Tag: image.tag,
    ID: truncate ? image.id.slice(0, 12) : `sha256:${image.id}`,
    CreatedSince: `${humanDuration(now - image.created)} ago`,
    CreatedAt: new Date(image.created).toISOString(),
    Size: humanSize(image.size),
    Digest: '<none>',
  }))
  if (quiet) format = '{{.ID}}'
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = fields.map((f) => renderTemplate(template, f).split('\t'))
  if (table) rows.unshift(renderTemplate(template, HEADERS).split('\t'))
  if (rows.length > 0) io.stdout(alignColumns(rows) + '\n')
  return 0
}
