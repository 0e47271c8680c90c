/**
 * What the supervisor uses of the IPC broker (the owner's BrokerService):
 * a token for each run, and the run's `ready` and heartbeats for the
 * readiness and health checks of kind `ipc`. The supervisor depends on
 * this, never on the broker's internals; pools will use both.
 */
export interface ProgramBroker {
  /** Env for a program's next run while the broker listens (its socket and a fresh token; the last run's revoked); else undefined. */
  programEnv(program: string): Record<string, string> | undefined
  /** A program removed: its token revoked, its connection closed. */
  forgetProgram(program: string): void
  /** Called with a program's name each time its endpoint sends `ready`. */
  onReady(listener: (program: string) => void): () => void
  /** ms since the epoch of the last heartbeat of the program's current connection. */
  lastHeartbeat(program: string): number | undefined
}
