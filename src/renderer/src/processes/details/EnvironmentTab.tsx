import { useState } from 'react'
import { api } from '../../api'
import { copyText } from '../../clipboard'
import type { Toasts } from '../../hooks/useToasts'
import { DetailStatus, readableOr } from './DetailStatus'
import { useProcessDetail } from './useProcessDetail'

interface Props {
  pid: number
  startTime: number
  toasts: Toasts
}

/**
 * The environment: secret-looking values (TOKEN, SECRET, PASSWORD, KEY, ...)
 * come from the engine withheld and are fetched one by one on Reveal; Copy
 * copies what is shown, so a hidden value cannot be copied.
 */
export function EnvironmentTab({ pid, startTime, toasts }: Props) {
  const { value, error, loading, refresh } = useProcessDetail('getEnvironment', pid, startTime)
  const [filter, setFilter] = useState('')
  const [revealed, setRevealed] = useState<{ key: string; values: ReadonlyMap<string, string> }>({ key: '', values: new Map() })
  const key = `${pid}:${startTime}`
  const shown = revealed.key === key ? revealed.values : new Map<string, string>()
  const list = value?.permitted ? value.value : undefined
  const secrets = list?.filter((v) => v.secret).length ?? 0

  const reveal = (name: string) => {
    api.revealEnvironmentVariable({ pid, startTime, name }).then(
      (v) => setRevealed((r) => ({ key, values: new Map(r.key === key ? r.values : []).set(name, v) })),
      (err: unknown) => toasts.show({ tone: 'error', title: `Could not reveal ${name}`, detail: err instanceof Error ? err.message : String(err) }),
    )
  }
  const hide = (name: string) =>
    setRevealed((r) => {
      const values = new Map(r.key === key ? r.values : [])
      values.delete(name)
      return { key, values }
    })
  const copy = (name: string, text: string) =>
    copyText(text).then(
      () => toasts.show({ tone: 'success', title: `Copied the value of ${name}` }),
      (err: unknown) => toasts.show({ tone: 'error', title: `Could not copy ${name}`, detail: err instanceof Error ? err.message : String(err) }),
    )

  const summary = list && `${list.length} variables${secrets > 0 ? `, ${secrets} hidden until revealed` : ''}`
  // By name, or by value where it is shown: a hidden value is not searched, or the filter would reveal it.
  const needle = filter.trim().toLowerCase()
  const matches = (name: string, text: string | undefined) => needle === '' || name.toLowerCase().includes(needle) || (text?.toLowerCase().includes(needle) ?? false)
  return (
    <>
      <DetailStatus what="environment" loading={loading} error={error} summary={summary} onRefresh={refresh} />
      {list && list.length > 0 && (
        <input
          type="search"
          className="detail-filter"
          placeholder="Filter by name or value"
          aria-label="Filter variables"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {readableOr(value, (vars) => (
        <dl className="env-list" aria-label="Environment">
          {vars.map((v) => {
            const text = v.secret ? shown.get(v.name) : v.value
            if (!matches(v.name, text)) return null
            return (
              <div key={v.name} className="env-row">
                <dt className="mono">{v.name}</dt>
                <dd>
                  {text === undefined ? (
                    <span className="env-hidden" aria-label="hidden value">
                      ••••••••
                    </span>
                  ) : (
                    <span className="mono env-value">{text}</span>
                  )}
                  <span className="env-buttons">
                    {v.secret &&
                      (text === undefined ? (
                        <button type="button" className="link-button" aria-label={`Reveal ${v.name}`} onClick={() => reveal(v.name)}>
                          Reveal
                        </button>
                      ) : (
                        <button type="button" className="link-button" aria-label={`Hide ${v.name}`} onClick={() => hide(v.name)}>
                          Hide
                        </button>
                      ))}
                    {text !== undefined && (
                      <button type="button" className="link-button" aria-label={`Copy ${v.name}`} onClick={() => void copy(v.name, text)}>
                        Copy
                      </button>
                    )}
                  </span>
                </dd>
              </div>
            )
          })}
        </dl>
      ))}
    </>
  )
}
