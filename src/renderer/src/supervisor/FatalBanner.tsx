import type { ProgramStatus } from '../../../shared/supervisor/status'

/** Programs given up on (fatal): said loudly, above everything else on the page. */
export function FatalBanner({ programs, onShow }: { programs: readonly ProgramStatus[]; onShow: (name: string) => void }) {
  const fatal = programs.filter((p) => p.state === 'fatal')
  if (fatal.length === 0) return null
  return (
    <div className="fatal-banner" role="alert">
      <span>
        <strong>{fatal.length === 1 ? '1 program is FATAL' : `${fatal.length} programs are FATAL`}</strong>: Proctor gave up restarting{' '}
        {fatal.length === 1 ? 'it' : 'them'}. Read the logs, fix the cause, then start again.
      </span>
      <span className="fatal-list">
        {fatal.map((p) => (
          <button key={p.name} type="button" className="link-button" onClick={() => onShow(p.name)} title={p.reason}>
            {p.name}
          </button>
        ))}
      </span>
    </div>
  )
}
