/**
 * The process query language, for the search box and the API:
 *
 *   node                         name or command contains "node" (any case); an
 *                                all-digit word also matches that exact pid
 *   cpu > 5 and user = root      comparisons: = == != > >= < <= =~ !~
 *   mem > 1.5GB or state = Z     units KB MB GB TB (1000s), KiB MiB GiB TiB, K M G T (1024s)
 *   !(name =~ "^kworker") cmd =~ --port=80    not/!, and/&&, or/||, ( ), and
 *                                adjacent terms are ANDed; not > and > or
 *
 * Text fields (name, command, exe, user, state) take = != (whole value,
 * case-insensitive) and =~ !~ (regex, case-insensitive, RE2 syntax: linear
 * time, so no backreferences or lookaround; at most MAX_REGEX_LENGTH
 * characters); number fields take
 * = != > >= < <=. Quote ("..." or '...') a value or search text holding
 * spaces, parentheses, && or ||, or a word that is a keyword (and, or, not);
 * inside quotes \" \' and \\ are escapes and any other backslash is kept,
 * so regexes read naturally. A comparison on a value the platform did not
 * report (exe, files) is false. Pure: runs in main, host and renderer.
 */
import { compileQuery, type ProcessPredicate } from './evaluate'
import { parseQuery } from './parser'

export { QueryError } from './ast'
export type { CompareOp, FieldName, NumericField, NumericOp, QueryNode, TextField } from './ast'
export { QUERY_FIELDS, lookupField, lookupState } from './fields'
export { MAX_REGEX_LENGTH, MAX_REGEX_SIZE } from './regex'
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
