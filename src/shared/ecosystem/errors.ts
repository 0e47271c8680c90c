/**
 * A configuration file Proctor could not read: the message names the file's
 * line (or the field) and what was wrong, so the user can fix it.
 */
export class EcosystemError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EcosystemError'
  }
}
