/**
 * A hub in a process of its own, for tests that must see whether something takes the hub down: an exception thrown
 * out of a request handler ends this process, which the parent sees as an `exit`. Serves the site in HUB_SITE_DIR
 * when set; reports `{ url, workshopCode }` over IPC once listening.
 */
import { createHub } from '../instructor/hub/create-hub.ts'

const hub = await createHub({
  chapters: [
    { id: 'lab-setup', order: 1, title: 'Lab setup', steps: [{ id: 'kind-create' }], checks: ['nodes-ready'] },
  ],
  siteDir: process.env.HUB_SITE_DIR || undefined,
})
process.on('disconnect', () => void hub.close().then(() => process.exit(0)))
process.send?.({ url: hub.url, workshopCode: hub.workshopCode })
