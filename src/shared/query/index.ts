/**
 * The process query language: `cpu > 5 and user = root`, `node`,
 * `mem > 1.5GB or (state = Z and not name =~ "^kworker")`.
 * Pure: runs the same in main, host and renderer.
 */
import { compileQuery, type ProcessPredicate } from './evaluate'
import { parseQuery } from './parser'

export { QueryError } from './ast'
export type { CompareOp, FieldName, NumericField, NumericOp, QueryNode, TextField } from './ast'
export { QUERY_FIELDS, lookupField, lookupState } from './fields'
export type { FieldDef } from './fields'
export { compileQuery } from './evaluate'
export type { ProcessPredicate } from './evaluate'
export { parseQuery } from './parser'
export { formatQuery } from './format'
export { StructuredQuery, compileStructuredQuery, structuredQueryToNode } from './structured'

/** parseQuery + compileQuery. Throws QueryError. */
export function compileTextQuery(text: string): ProcessPredicate {
  return compileQuery(parseQuery(text))
}
