import { contextBridge, ipcRenderer } from 'electron'
import { mapApiErrors, toBridgedError } from '../shared/rpc/mapErrors'
import { createApi } from '../shared/rpc/client'
import { ipcTransport } from './ipcTransport'

/*
 * The preload: runs sandboxed, bundled (it may import src/shared only). It
 * exposes one object, `window.api`, whose functions are the contract's calls
 * and streams; the page never sees ipcRenderer, a channel name or a message.
 */

/** Failures cross contextBridge as plain objects (see mapApiErrors); the page revives them. */
export const api = mapApiErrors(createApi(ipcTransport(ipcRenderer)), toBridgedError)

contextBridge.exposeInMainWorld('api', api)
