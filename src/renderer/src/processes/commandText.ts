/**
 * A command line as a cell of the list shows it. No screen is wide enough
 * for more than a few hundred characters of it, yet a refresh that brings a
 * row lays out all of its text (Chromium's command lines run to 2000
 * characters). The whole line stays in the cell's tooltip and in the
 * details. Pure.
 */

export const SHOWN_COMMAND_CHARS = 400

export function shownCommand(command: string): string {
  return command.length > SHOWN_COMMAND_CHARS ? `${command.slice(0, SHOWN_COMMAND_CHARS)}…` : command
}
