/**
 * What hands a registered process its way in: the two variables the client
 * reads, as shell lines (quoted where the shell would split or expand), the
 * same in the CLI and the IPC page.
 */
export function envLines(socket: string, token: string): string {
  return `PROCTOR_IPC_SOCKET=${shellQuote(socket)}\nPROCTOR_IPC_TOKEN=${shellQuote(token)}`
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}
