import type { ActionReport, AuditEntry } from '../types/control'
import { auditArgs, killArgs, reniceArgs, resumeArgs, suspendArgs, terminateArgs } from './controlArgs'
import { call, noArgs } from './spec'

/*
 * Process actions, each naming the processes the user saw (pid and start
 * time). They run as asked: the API does not ask for confirmation (that is
 * the window's and the tray's job, when the user wants it). Each is recorded
 * in the audit log with who asked: the transport names the caller (desktop
 * window, tray, command line, browser session by its address).
 */
export const controlCalls = {
  killProcess: call<ActionReport>()(killArgs, 'Send a signal (TERM by default) to processes, each named by pid and start time.'),
  terminateProcess: call<ActionReport>()(terminateArgs, 'TERM, wait up to graceMs (5 s), then KILL; says which ended it.'),
  suspendProcess: call<ActionReport>()(suspendArgs, 'Stop processes (SIGSTOP).'),
  resumeProcess: call<ActionReport>()(resumeArgs, 'Continue stopped processes (SIGCONT).'),
  reniceProcess: call<ActionReport>()(reniceArgs, 'Set the nice value (-20..19) of every thread.'),
  getSignalNames: call<string[]>()(noArgs, "The platform's signal names, without SIG."),
  getAuditLog: call<AuditEntry[]>()(auditArgs, 'The most recent process actions and settings changes, their results and who made them, newest last.'),
} as const
