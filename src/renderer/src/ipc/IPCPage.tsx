import { useCallback, useState } from 'react'
import { ConfirmDialog } from '../components/ConfirmDialog'
import type { Toasts } from '../hooks/useToasts'
import type { UiSettings } from '../hooks/useUiSettings'
import { useNow } from '../supervisor/useNow'
import { api } from '../api'
import { ConnectionsTable } from './ConnectionsTable'
import { IPCConsole } from './IPCConsole'
import { IPCHead } from './IPCHead'
import { IPCOff, NoBroker } from './IPCOff'
import { BROADCAST, errorInfo, type RegisterRequest } from './ipcView'
import { RegisterDialog } from './RegisterDialog'
import { TrafficLog } from './TrafficLog'
import { useIPCOverview, useTraffic } from './useIPC'
import '../components/featurePage.css'
import './ipc.css'

interface Props {
  toasts: Toasts
  ui: UiSettings
  onUi: (patch: Partial<UiSettings>) => void
  /** The page is on screen: relative times tick. */
  active: boolean
  /** The connection's count of openings: a reconnect subscribes afresh. */
  epoch: number
  /** "Register for IPC…" from the process page: the register dialog, filled from that process. */
  register?: RegisterRequest | undefined
  onRegisterHandled?: () => void
}

type Confirm = { kind: 'unregister'; id: string; name: string; connected: boolean } | { kind: 'turn-off'; connections: number }

/**
 * The IPC page: whether the broker listens and where, its caps and totals;
 * the connections with their counters and live rates, and the registered
 * identities; a console that sends, requests or broadcasts JSON and shows
 * the answer; and the broker's traffic as a bounded live log with filters.
 */
export function IPCPage({ toasts, ui, onUi, active, epoch, register, onRegisterHandled }: Props) {
  const { live, error } = useIPCOverview(epoch)
  const overview = live?.overview
  const listening = overview?.listening ?? false
  const traffic = useTraffic(listening, epoch)
  const now = useNow(active && (overview?.connections.length ?? 0) + (overview?.registrations.length ?? 0) > 0)
  const [target, setTarget] = useState('')
  const [registering, setRegistering] = useState(false)
  // A request from the process page holds the dialog open, filled from that process, until it closes.
  const dialog = register ? { key: `${register.pid}:${register.startTime}`, initial: register } : registering ? { key: 'by-pid' } : undefined
  const closeDialog = () => {
    setRegistering(false)
    if (register) onRegisterHandled?.()
  }
  const [confirm, setConfirm] = useState<Confirm | undefined>(undefined)
  const [switching, setSwitching] = useState(false)
  const { show } = toasts

  const setEnabled = useCallback(
    (on: boolean) => {
      setSwitching(true)
      api
        .updateSettings({ enableIPC: on })
        .then(
          () => show({ tone: 'success', title: on ? 'IPC turned on' : 'IPC turned off' }),
          (err: unknown) => show({ tone: 'error', title: `Could not turn IPC ${on ? 'on' : 'off'}`, detail: errorInfo(err).message, hint: 'Try again; the setting was not changed.' }),
        )
        .finally(() => setSwitching(false))
    },
    [show],
  )

  const unregister = useCallback(
    (id: string) => {
      api.unregisterProcessFromIPC({ processId: id }).then(
        (r) => show({ tone: 'success', title: `${r.unregistered} unregistered`, detail: r.disconnected ? 'Its connection was closed.' : undefined }),
        (err: unknown) => {
          const e = errorInfo(err)
          show({ tone: 'error', title: `Could not unregister ${id}`, detail: `${e.code}: ${e.message}` })
        },
      )
    },
    [show],
  )
  const onUnregister = useCallback(
    (id: string, name: string, connected: boolean) => (ui.confirmDestructive ? setConfirm({ kind: 'unregister', id, name, connected }) : unregister(id)),
    [ui.confirmDestructive, unregister],
  )
  const onTurnOff = useCallback(() => {
    const n = overview?.connections.length ?? 0
    if (n > 0 && ui.confirmDestructive) setConfirm({ kind: 'turn-off', connections: n })
    else setEnabled(false)
  }, [overview, ui.confirmDestructive, setEnabled])

  // A row picked in the table is the console's target; otherwise the first connection, else all.
  const connections = overview?.connections ?? []
  const effectiveTarget = target !== '' ? target : (connections[0]?.id ?? BROADCAST)

  return (
    <div className="ipc-page feature-page">
      <IPCHead
        live={live}
        busy={switching}
        onTurnOff={onTurnOff}
        onRegister={() => setRegistering(true)}
        toasts={toasts}
      />
      {!overview ? (
        <NoBroker error={error} />
      ) : !overview.enabled ? (
        <IPCOff onTurnOn={() => setEnabled(true)} busy={switching} />
      ) : (
        <>
          {!overview.listening &&
            (overview.problem ? (
              <div className="banner ipc-problem" role="alert">
                <span className="banner-mark" data-mark="!" aria-hidden="true" />
                <span className="banner-message">
                  IPC is on but the broker cannot listen: {overview.problem}. Programs cannot connect until it is fixed: the socket’s folder is ipcConfig.socketDir in the
                  settings; turn IPC off and on again after a change.
                </span>
              </div>
            ) : (
              <div className="ipc-starting" role="status" aria-busy="true">
                Starting the broker…
              </div>
            ))}
          {live && error && (
            <div className="banner" role="alert">
              <span className="banner-message">The broker’s updates stopped: {error.message}. Trying again…</span>
            </div>
          )}
          <div className="ipc-body">
            <ConnectionsTable
              overview={overview}
              rates={live!.rates}
              now={now}
              selected={effectiveTarget}
              onSelect={setTarget}
              onUnregister={onUnregister}
            />
            <div className="ipc-lower">
              <IPCConsole overview={overview} target={effectiveTarget} onTarget={setTarget} />
              <TrafficLog traffic={traffic} connections={connections} listening={overview.listening} />
            </div>
          </div>
        </>
      )}
      {dialog && <RegisterDialog key={dialog.key} initial={dialog.initial} onClose={closeDialog} toasts={toasts} />}
      {confirm?.kind === 'unregister' && (
        <ConfirmDialog
          title={`Unregister ${confirm.name}?`}
          body={`Its token (${confirm.id}) is revoked${confirm.connected ? ' and its connection closed now' : ''}. The process keeps running; to connect again it needs a new registration.`}
          confirmLabel="Unregister"
          onConfirm={(dontAsk) => {
            const id = confirm.id
            setConfirm(undefined)
            if (dontAsk) onUi({ confirmDestructive: false })
            unregister(id)
          }}
          onCancel={() => setConfirm(undefined)}
        />
      )}
      {confirm?.kind === 'turn-off' && (
        <ConfirmDialog
          title="Turn IPC off?"
          body={`The broker stops listening and closes ${confirm.connections === 1 ? 'the one connection' : `all ${confirm.connections} connections`}. Requests waiting for an answer fail.`}
          confirmLabel="Turn off"
          onConfirm={(dontAsk) => {
            setConfirm(undefined)
            if (dontAsk) onUi({ confirmDestructive: false })
            setEnabled(false)
          }}
          onCancel={() => setConfirm(undefined)}
        />
      )}
    </div>
  )
}
