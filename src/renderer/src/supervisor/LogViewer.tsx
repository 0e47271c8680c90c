import { useVirtualizer } from '@tanstack/react-virtual'
import { useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { ProgramLogLine } from '../../../shared/supervisor/status'
import { filterLines, lastStartIndex, logTime, matchingLines, nextMatch, splitMatches, type StreamFilter } from './logView'
import { LogToolbar } from './LogToolbar'
import { useProgramLogs } from './useProgramLogs'
import './logs.css'

interface Props {
  name: string
  lastStartAt: number | undefined
  onClose: () => void
}

const LINE_HEIGHT = 18

/**
 * One program's output, live: follow (keep to the newest line) or pause
 * (freeze what is shown), a plain-text search that highlights and steps
 * through matches, stdout/stderr, timestamps, and a jump to the first line
 * of the last start. Only the lines in view are in the DOM.
 */
export function LogViewer({ name, lastStartAt, onClose }: Props) {
  const logs = useProgramLogs(name)
  const [follow, setFollow] = useState(true)
  const [paused, setPaused] = useState<readonly ProgramLogLine[] | undefined>(undefined)
  const [stream, setStream] = useState<StreamFilter>('both')
  const [timestamps, setTimestamps] = useState(true)
  const [search, setSearch] = useState('')
  const query = useDeferredValue(search)
  // The match stepped to, for the search it belongs to: a new search starts afresh.
  const [step, setStep] = useState<{ query: string; index: number } | undefined>(undefined)
  const current = step?.query === query ? step.index : undefined

  const source = paused ?? logs.lines
  const lines = useMemo(() => filterLines(source, stream), [source, stream])
  const matches = useMemo(() => matchingLines(lines, query), [lines, query])
  const startAt = lastStartIndex(lines, lastStartAt)

  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's object is read in render on purpose.
  const virtual = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 20 })

  // Following: the newest line stays in view as lines arrive.
  useLayoutEffect(() => {
    if (follow && lines.length > 0) virtual.scrollToIndex(lines.length - 1, { align: 'end' })
  }, [follow, lines.length, virtual])

  const goTo = (index: number | undefined) => {
    if (index === undefined) return
    setFollow(false)
    setStep({ query, index })
    virtual.scrollToIndex(index, { align: 'center' })
  }
  const onScroll = () => {
    const el = scroller.current
    if (!el) return
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT
    // Scrolling up leaves follow; back to the end takes it up again.
    if (atEnd !== follow) setFollow(atEnd)
  }

  return (
    <section className="log-viewer" aria-label={`Logs of ${name}`}>
      <LogToolbar
        name={name}
        follow={follow}
        onFollow={setFollow}
        paused={paused !== undefined}
        onPaused={(on) => setPaused(on ? logs.lines : undefined)}
        waiting={paused !== undefined ? logs.lines.length - paused.length : 0}
        stream={stream}
        onStream={setStream}
        timestamps={timestamps}
        onTimestamps={setTimestamps}
        search={search}
        onSearch={setSearch}
        matches={matches.length}
        onNext={(back) => goTo(nextMatch(matches, current ?? (back ? lines.length : -1), back))}
        canJump={startAt >= 0}
        onJump={() => goTo(startAt)}
        onClose={onClose}
      />
      {logs.error && <div className="log-error" role="alert">Could not read the logs: {logs.error.message}</div>}
      <div ref={scroller} className="log-lines" onScroll={onScroll} tabIndex={0} role="log" aria-label={`Output of ${name}`}>
        {lines.length === 0 ? (
          <div className="log-empty">{logs.file === undefined && !logs.error ? 'Loading…' : 'No output yet.'}</div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((row) => {
              const line = lines[row.index]!
              const cls = ['log-line', line.stream === 'stderr' ? 'stderr' : '', row.index === startAt ? 'start-mark' : '', row.index === current ? 'current' : '']
              return (
                <div key={row.key} className={cls.filter(Boolean).join(' ')} style={{ transform: `translateY(${row.start}px)` }} data-stream={line.stream}>
                  {timestamps && <span className="log-time">{logTime(line.at)}</span>}
                  <span className="log-text">
                    {splitMatches(line.text, query).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
                  </span>
                </div>
              )
            })}
          </div>
        )}
      </div>
      <div className="log-foot">
        {logs.file && <span title="The current log file (rotated by size)">{logs.file}</span>}
        {logs.fileError && <span className="log-dropped">Cannot write the log file: {logs.fileError}</span>}
        {logs.dropped > 0 && <span className="log-dropped">{logs.dropped} lines did not reach the files</span>}
        <span className="log-count">{lines.length} lines</span>
      </div>
    </section>
  )
}
