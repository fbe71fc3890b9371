import type { TwinContext } from '../context.ts'
import type { FlagSpec } from '../daemon/pflag.ts'
import type { ToolIO } from '../daemon/tool.ts'
import { listFormat, parseDockerFlags } from './docker-flags.ts'
import { alignColumns, renderTemplate } from './go-template.ts'
import { humanDuration } from './human-duration.ts'
import { humanSize, labImages } from './lab-images.ts'

/**
 * `docker images [-a] [-q] [--no-trunc] [--format F] [REPOSITORY[:TAG]]` (also `docker image ls`). Columns and
 * fields as docker/cli cli/command/formatter/image.go: `table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}`,
 * IDs truncated to 12 hex unless --no-trunc (with `sha256:` then).
 */
const DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
const HEADERS = {
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  ID: 'IMAGE ID',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Digest: 'DIGEST',
}

/** `docker images --help` (Docker 24); -a is honoured as given, the lab's images have no intermediate layers to show. */
const FLAGS: Record<string, FlagSpec> = {
  all: { short: 'a' },
  digests: {},
  filter: { short: 'f', value: true },
  format: { value: true },
  'no-trunc': {},
  quiet: { short: 'q' },
}

export function dockerImages(io: ToolIO, lab: TwinContext, argv: string[]): number {
  const parsed = parseDockerFlags('images', argv.slice(1), FLAGS, {
    honoured: ['all', 'format', 'no-trunc', 'quiet'],
    hint: "The twin's docker images takes -a, -q, --no-trunc, --format and a REPOSITORY[:TAG] to match.",
  })
  const truncate = !parsed.flags.has('no-trunc')
  const format = listFormat(parsed, DEFAULT_FORMAT)
  if (parsed.args.length > 1) {
    io.stderr(
      `"docker images" requires at most 1 argument.\nSee 'docker images --help'.\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nList images\n`,
    )
    return 1
  }
  const [filter] = parsed.args
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
  const table = format.startsWith('table')
  const template = table ? format.replace(/^table\s*/, '') : format
  const rows = fields.map((f) => renderTemplate(template, f).split('\t'))
  if (table) rows.unshift(renderTemplate(template, HEADERS).split('\t'))
  if (rows.length > 0) io.stdout(`${alignColumns(rows)}\n`)
  return 0
}
