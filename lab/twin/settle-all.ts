/**
 * Waits for every task, then throws the first failure. Unlike Promise.all it never returns while a task still runs,
 * so the cleanup that follows a failure (deleting namespaces, stopping daemons) cannot race one still creating them.
 */
export async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((result) => result.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
}
