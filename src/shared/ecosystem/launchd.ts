import { programArgv, type Program } from '../supervisor/program'
import type { RestartSchedule } from '../supervisor/schedule'
import { EcosystemError } from './errors'
import type { Exported } from './systemd'

/**
 * A program as a launchd agent (launchd.plist(5)), and a parser of the
 * XML property lists it writes, for the round trip. Pure.
 */

export interface LaunchdOptions {
  schedule: RestartSchedule
  /** Where StandardOutPath and StandardErrorPath go: a folder (~/Library/Logs/Proctor). */
  logDir: string
  /** Labels are PREFIX + program name (`dev.proctor.web`). */
  prefix?: string
  header?: string[]
}

export const LABEL_PREFIX = 'dev.proctor.'

export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue }

/** Text as XML character data: &, <, > escaped, a carriage return as a reference (parsers turn a raw one into \n). */
export function xmlText(s: string, what: string): string {
  // XML 1.0 cannot hold NUL or most control characters, escaped or not.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.exec(s)
  if (bad) throw new EcosystemError(`${what} holds the control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}, which a property list cannot hold`)
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
}

function plistXml(value: PlistValue, indent: string, what: string): string[] {
  if (typeof value === 'string') return [`${indent}<string>${xmlText(value, what)}</string>`]
  if (typeof value === 'boolean') return [`${indent}<${value}/>`]
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return [`${indent}<real>${value}</real>`]
    return [`${indent}<integer>${value}</integer>`]
  }
  if (Array.isArray(value)) return [`${indent}<array>`, ...value.flatMap((v, i) => plistXml(v, `${indent}\t`, `${what}[${i}]`)), `${indent}</array>`]
  return [
    `${indent}<dict>`,
    ...Object.entries(value).flatMap(([k, v]) => [`${indent}\t<key>${xmlText(k, `${what} key`)}</key>`, ...plistXml(v, `${indent}\t`, `${what}.${k}`)]),
    `${indent}</dict>`,
  ]
}

/** A whole property list document around `value`, with `comments` before it. */
export function plistDocument(value: PlistValue, comments: string[] = []): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    // "--" may not appear inside an XML comment.
    ...comments.map((c) => `<!-- ${c.replace(/--/g, '- -')} -->`),
    '<plist version="1.0">',
    ...plistXml(value, '', 'the value'),
    '</plist>',
    '',
  ].join('\n')
}

export function launchdAgent(p: Program, o: LaunchdOptions): Exported {
  const label = `${o.prefix ?? LABEL_PREFIX}${p.name}`
  const notes: string[] = []
  const s = o.schedule
  const agent: Record<string, PlistValue> = { Label: label, ProgramArguments: programArgv(p) }
  if (p.cwd !== undefined) agent.WorkingDirectory = p.cwd
  if (Object.keys(p.env.vars).length > 0) agent.EnvironmentVariables = { ...p.env.vars }
  if (p.env.mode === 'replace') notes.push("the program replaces Proctor's whole environment; launchd adds these variables to its own instead")
  agent.RunAtLoad = p.autostart
  // KeepAlive: restart after any exit, or only after an unsuccessful one.
  if (s.policy === 'never') agent.KeepAlive = false
  else if (s.policy === 'on-failure') agent.KeepAlive = { SuccessfulExit: false }
  else agent.KeepAlive = true
  if (s.policy !== 'never') {
    // launchd waits at least ThrottleInterval seconds between two starts (10 unless told).
    agent.ThrottleInterval = Math.max(1, Math.round(s.delayMs / 1000))
    if (s.multiplier > 1) notes.push(`launchd restarts every ${agent.ThrottleInterval} s, without Proctor's backoff (x${s.multiplier} up to ${s.maxDelayMs / 1000} s)`)
    notes.push(`launchd has no crash-loop limit: Proctor's (fatal after ${s.maxAttempts} restarts) is not exported`)
  }
  agent.ExitTimeOut = Math.max(1, Math.ceil(p.stopTimeoutMs / 1000))
  if (p.stopSignal !== 'TERM') notes.push(`launchd stops with SIGTERM, not SIG${p.stopSignal}`)
  agent.StandardOutPath = `${o.logDir}/${p.name}.out.log`
  agent.StandardErrorPath = `${o.logDir}/${p.name}.err.log`
  notes.push(`launchd does not rotate ${agent.StandardOutPath} or ${agent.StandardErrorPath}`)
  if (p.dependsOn.length > 0) notes.push(`launchd has no dependencies between agents: ${p.dependsOn.map((d) => d.name).join(', ')} must be loaded first by hand`)
  if (p.ready) notes.push(`the readiness check (${p.ready.kind}) is not exported`)
  if (p.health.checks.length > 0) notes.push(`health checks (${p.health.checks.map((c) => c.kind).join(', ')}) are not exported: launchd restarts on exit only`)
  return { text: plistDocument(agent, o.header), fileName: `${label}.plist`, notes }
}

// ---- reading property lists back ----

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10))
    const c = ENTITIES[e]
    if (c === undefined) throw new EcosystemError(`unknown entity ${all}`)
    return c
  })
}

/**
 * The value of an XML property list: dict, array, string, integer, real,
 * true, false. Comments, the declaration and the doctype are skipped; a
 * carriage return or CRLF in text reads as \n, as XML parsers do.
 */
export function parsePlist(xml: string): PlistValue {
  const tokens = xml
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\r\n?/g, '\n')
    .split(/(<[^>]+>)/)
  let i = 0
  const nextTag = (): string => {
    while (i < tokens.length) {
      const t = tokens[i++] as string
      if (t.startsWith('<')) return t
      if (t.trim() !== '') throw new EcosystemError(`text ${JSON.stringify(t.trim())} outside any element`)
    }
    throw new EcosystemError('the property list ends early')
  }
  const textUntil = (close: string): string => {
    let text = ''
    while (i < tokens.length && tokens[i] !== close) {
      const t = tokens[i++] as string
      if (t.startsWith('<')) throw new EcosystemError(`unexpected ${t} inside text`)
      text += t
    }
    if (tokens[i++] !== close) throw new EcosystemError(`missing ${close}`)
    return unescapeXml(text)
  }
  const value = (tag: string): PlistValue => {
    switch (tag) {
      case '<string/>':
        return ''
      case '<string>':
        return textUntil('</string>')
      case '<integer>':
        return Number.parseInt(textUntil('</integer>'), 10)
      case '<real>':
        return Number(textUntil('</real>'))
      case '<true/>':
        return true
      case '<false/>':
        return false
      case '<array/>':
        return []
      case '<dict/>':
        return {}
      case '<array>': {
        const items: PlistValue[] = []
        for (let t = nextTag(); t !== '</array>'; t = nextTag()) items.push(value(t))
        return items
      }
      case '<dict>': {
        const dict: Record<string, PlistValue> = {}
        for (let t = nextTag(); t !== '</dict>'; t = nextTag()) {
          if (t !== '<key>') throw new EcosystemError(`expected <key> in a dict, got ${t}`)
          const key = textUntil('</key>')
          dict[key] = value(nextTag())
        }
        return dict
      }
      default:
        throw new EcosystemError(`unexpected ${tag}`)
    }
  }
  const open = nextTag()
  if (!/^<plist\b/.test(open)) throw new EcosystemError(`expected <plist>, got ${open}`)
  const result = value(nextTag())
  if (nextTag() !== '</plist>') throw new EcosystemError('expected </plist> after the value')
  return result
}
