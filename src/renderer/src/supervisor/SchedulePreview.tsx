import { describeSchedule, formatDelay, restartSchedule, scheduleDelays } from '../../../shared/supervisor/schedule'
import type { Settings } from '../../../shared/settings'
import { formSchedule, type ProgramForm } from './programForm'

/** The restarts the policy will make, before saving: the very numbers the supervisor uses. */
export function SchedulePreview({ form, health, autoRestart }: { form: ProgramForm; health: Settings['healthConfig']; autoRestart: boolean | undefined }) {
  const schedule = restartSchedule(formSchedule(form), health)
  const delays = scheduleDelays(schedule)
  return (
    <div className="schedule-preview" aria-live="polite">
      <div className="schedule-text">{capitalize(describeSchedule(schedule))}.</div>
      {delays.length > 0 && (
        <ol className="schedule-steps" aria-label="Delay before each restart">
          {delays.slice(0, 12).map((d, i) => (
            <li key={i}>
              <span className="muted">#{i + 1}</span> {formatDelay(d)}
            </li>
          ))}
          {delays.length > 12 && <li className="muted">… {delays.length - 12} more</li>}
          <li className="schedule-fatal">fatal</li>
        </ol>
      )}
      {autoRestart === false && schedule.policy !== 'never' && (
        <div className="field-hint">Auto-restart is off in the settings: until it is on, no restart happens.</div>
      )}
    </div>
  )
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
