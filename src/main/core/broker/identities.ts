import { createHash, randomBytes } from 'node:crypto'
import type { IPCRegistration } from '../../../shared/broker/status'

/**
 * Who may connect: one identity per managed program (`p:<name>`, its token
 * renewed for each run) and one per process registered by hand (`r:<n>`,
 * bound to its pid and start time). Tokens are kept as their SHA-256 only,
 * so a lookup by token leaks nothing through timing about a real token.
 */
export interface Identity {
  id: string
  kind: 'program' | 'registered'
  name: string
  program?: string
  pid?: number
  startTime?: number
  issuedAt: number
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export class Identities {
  private readonly byDigest = new Map<string, Identity>()
  private readonly digestOf = new Map<string, string>()
  private readonly byId = new Map<string, Identity>()
  private next = 1

  /** A fresh token for the program's next run; the previous run's is no longer valid. */
  issueProgram(program: string): { identity: Identity; token: string } {
    const identity: Identity = { id: programId(program), kind: 'program', name: program, program, issuedAt: Date.now() }
    return { identity, token: this.issue(identity) }
  }

  register(pid: number, startTime: number, name: string): { identity: Identity; token: string } {
    const identity: Identity = { id: `r:${this.next++}`, kind: 'registered', name, pid, startTime, issuedAt: Date.now() }
    return { identity, token: this.issue(identity) }
  }

  /** The identity of `token`, if it is valid. */
  find(token: string): Identity | undefined {
    return this.byDigest.get(digest(token))
  }

  get(id: string): Identity | undefined {
    return this.byId.get(id)
  }

  revoke(id: string): Identity | undefined {
    const identity = this.byId.get(id)
    if (!identity) return undefined
    this.byId.delete(id)
    const d = this.digestOf.get(id)
    if (d !== undefined) this.byDigest.delete(d)
    this.digestOf.delete(id)
    return identity
  }

  list(connected: (id: string) => boolean): IPCRegistration[] {
    return [...this.byId.values()].map((i) => ({ ...i, connected: connected(i.id) }))
  }

  private issue(identity: Identity): string {
    this.revoke(identity.id)
    const token = randomBytes(24).toString('base64url')
    const d = digest(token)
    this.byDigest.set(d, identity)
    this.digestOf.set(identity.id, d)
    this.byId.set(identity.id, identity)
    return token
  }
}

export function programId(program: string): string {
  return `p:${program}`
}
