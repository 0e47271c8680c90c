import { userInfo } from 'node:os'

/** Who `user = me` in a query is: the user the engine runs as; undefined for a uid with no passwd entry (`me` is then taken literally). */
export function currentUser(): string | undefined {
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}
