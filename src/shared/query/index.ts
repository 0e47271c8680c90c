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
 *
 *   port = 3000                  some TCP/UDP socket of the process has local port 3000
 *                                (listening or connected from); `!=`: none has it
 *   listen = 3000, listen        listens on 3000 (TCP LISTEN or bound UDP); alone: on any port
 *   user = me                    the user running Proctor, where the caller says who that is
 *
 * `port` and `listen` need the process's sockets, which the caller reads
 * only for a query that names them (usesPorts) and passes as env.portsOf.
 */
import { compileQuery, type ProcessPredicate, type QueryEnv } from './evaluate'
import { parseQuery } from './parser'

export { QueryError } from './ast'
export type { CompareOp, FieldName, NumericField, NumericOp, PortField, QueryNode, TextField } from './ast'
export { PORT_FIELDS, QUERY_FIELDS, lookupField, lookupState } from './fields'
export { MAX_REGEX_LENGTH, MAX_REGEX_SIZE } from './regex'
export type { FieldDef } from './fields'
export { compileQuery, usesPorts } from './evaluate'
export type { ProcessPredicate, QueryEnv } from './evaluate'
export { parseQuery } from './parser'
export { formatQuery } from './format'
export { StructuredQuery, compileStructuredQuery, structuredQueryToNode } from './structured'

/** parseQuery + compileQuery. Throws QueryError. */
export function compileTextQuery(text: string, env: QueryEnv = {}): ProcessPredicate {
  return compileQuery(parseQuery(text), env)
}
