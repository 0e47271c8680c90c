import type { ActionReport, ControlAction } from '../../../shared/types/control'
import type { Caller } from '../../../shared/types/caller'
import type { ProcessInspector } from '../processes/inspector'
import type { Service, SettingsSource } from '../service'
import type { AuditLog } from './auditLog'
import { ProcessController, type ActionOptions, type ControllerDeps } from './controller'
import { signalNames } from './signals'

type Calls = 'killProcess' | 'terminateProcess' | 'suspendProcess' | 'resumeProcess' | 'reniceProcess' | 'getSignalNames' | 'getAuditLog'

export interface ControlServiceDeps {
  settings: SettingsSource
  inspector: ProcessInspector
  audit: AuditLog
  /** Proctor's own processes (this one, and the desktop app's helpers): never acted on. */
  ownPids: () => number[]
  /** Tests stand in for the platform's elevation prompt. */
  elevation?: Pick<ControllerDeps, 'elevation' | 'runElevated'>
}

/**
 * Acting on processes by identity (signal, terminate, suspend, resume,
 * renice), each action checked and recorded in the audit log with its
 * caller; and reading that log back.
 */
export class ControlService implements Service<Calls> {
  private readonly controller: ProcessController

  readonly handlers: Service<Calls>['handlers'] = {
    killProcess: (args, caller) => this.run('signal', args, caller),
    terminateProcess: (args, caller) => this.run('terminate', args, caller),
    suspendProcess: (args, caller) => this.run('suspend', args, caller),
    resumeProcess: (args, caller) => this.run('resume', args, caller),
    reniceProcess: (args, caller) => this.run('renice', args, caller),
    getSignalNames: () => signalNames(),
    getAuditLog: (args) => this.deps.audit.read(args?.limit),
  }
  readonly streams = {}

  constructor(private readonly deps: ControlServiceDeps) {
    this.controller = new ProcessController({
      inspector: deps.inspector,
      audit: deps.audit,
      protectedNames: () => deps.settings.get().protectedNames,
      ownPids: deps.ownPids,
      ...deps.elevation,
    })
  }

  run(action: ControlAction, options: ActionOptions, caller: Caller): Promise<ActionReport> {
    return this.controller.run(action, options, caller)
  }
}
