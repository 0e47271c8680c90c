import { EcosystemError } from './errors'

/**
 * A command line split into words as a POSIX shell splits it, without
 * expansion (Python's shlex.split, which supervisord uses for `command=`):
 * whitespace separates, single quotes keep everything, double quotes keep
 * everything but `\"` and `\\`, a backslash outside quotes keeps the next
 * character. An unclosed quote is an error naming the text.
 */
export function shellWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new EcosystemError(`no closing quotation (') in ${JSON.stringify(line)}`)
      word += line.slice(i + 1, end)
      inWord = true
      i = end
    } else if (c === '"') {
      let j = i + 1
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++
        word += line[j]
      }
      if (j >= line.length) throw new EcosystemError(`no closing quotation (") in ${JSON.stringify(line)}`)
      inWord = true
      i = j
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new EcosystemError(`no character after the last backslash in ${JSON.stringify(line)}`)
      word += line[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}
