/**
 * The query AST. Values are already resolved (numbers in base units, states
 * canonical), so compiling a node cannot fail except on a bad regex.
 */
export type NumericField =
  | 'pid'
  | 'ppid'
  | 'uid'
  | 'cpu'
  | 'mem'
  | 'memp'
  | 'virt'
  | 'threads'
  | 'nice'
  | 'priority'
  | 'files'
export type TextField = 'name' | 'command' | 'exe' | 'user' | 'state'
/** Fields over a process's sockets, known only when the engine read them for this query (see usesPorts). */
export type PortField = 'port' | 'listen'
export type FieldName = NumericField | TextField

export type NumericOp = '=' | '!=' | '>' | '>=' | '<' | '<='
export type CompareOp = NumericOp | '=~' | '!~'

export type QueryNode =
  /** The empty query. */
  | { kind: 'all' }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  /** Plain-text search: substring of name or command, or pid if all digits. */
  | { kind: 'text'; text: string }
  | { kind: 'numeric'; field: NumericField; op: NumericOp; value: number }
  /** Case-insensitive equality; for `state`, `value` is a ProcessState. */
  | { kind: 'equals'; field: TextField; negate: boolean; value: string }
  /** Case-insensitive regex test. */
  | { kind: 'match'; field: TextField; negate: boolean; pattern: string }
  /**
   * Some local port of the process's TCP/UDP sockets (`port`) or of its
   * listeners (`listen`) compares true; `!=` means none equals the value.
   */
  | { kind: 'port'; field: PortField; op: NumericOp; value: number }
  /** The bare word `listen`: the process listens on some port. */
  | { kind: 'listening' }

/** A query the user can fix: `position` is a 0-based offset into the query text. */
export class QueryError extends Error {
  readonly position: number
  /** Set when the error concerns one field of a structured query. */
  readonly field?: string

  constructor(message: string, position: number, field?: string) {
    super(message)
    this.name = 'QueryError'
    this.position = position
    if (field !== undefined) this.field = field
  }
}
