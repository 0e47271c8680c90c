/**
 * Whether `pid` exists (a negative pid: whether process group -pid has a
 * member), by sending it signal 0: nothing is delivered, only the checks
 * are made. A zombie exists until it is reaped; EPERM means it exists, as
 * another user's. The way to ask where /proc cannot be read.
 */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
