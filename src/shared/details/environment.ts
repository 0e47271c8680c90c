import type { EnvironmentVariable } from './types'

/**
 * A process's environment, from /proc/PID/environ (NUL-separated NAME=value)
 * or `ps -E`-like listings, and which names look like they hold secrets.
 */

// A name holding any of these words is treated as a secret: its value leaves the engine only when asked for by name.
const SECRET_WORDS = /TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|APIKEY/i

export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name)
}

/** NAME=value pairs from NUL-separated text; an entry without '=' is kept with an empty value. Sorted by name. */
export function parseEnviron(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const entry of text.split('\0')) {
    if (entry === '') continue
    const eq = entry.indexOf('=')
    // A name may not be empty; "=C:=..." style entries keep their leading '=' in the name.
    const at = eq === 0 ? entry.indexOf('=', 1) : eq
    out.push(at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)])
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** The variables as the contract gives them: a secret's value withheld. */
export function withheldSecrets(pairs: ReadonlyArray<[string, string]>): EnvironmentVariable[] {
  return pairs.map(([name, value]) => (isSecretName(name) ? { name, secret: true } : { name, value, secret: false }))
}
