import { describe, expect, it } from 'vitest'
import { connectionMessage, refusalOf, type Connection } from '../../../src/renderer/src/connectionState'
import { CLOSE_HOST_FULL, CLOSE_UNAUTHORIZED, hostFullReason } from '../../../src/shared/rpc/protocol'

const never: Connection = { status: 'closed', everOpen: false, opened: 0 }
const lost: Connection = { status: 'closed', everOpen: true, opened: 1 }

describe('what the window says about its connection to the host', () => {
  it('says nothing while open, or while connecting the first time', () => {
    expect(connectionMessage({ status: 'open', everOpen: true, opened: 3 }, true)).toBeUndefined()
    expect(connectionMessage({ status: 'connecting', everOpen: false, opened: 0 }, true)).toBeUndefined()
  })

  it('tells a full host (with its cap) from one that cannot be reached', () => {
    const full = refusalOf({ code: CLOSE_HOST_FULL, reason: hostFullReason(32) })
    expect(full).toEqual({ kind: 'full', maxConnections: 32 })
    expect(connectionMessage({ ...never, refusal: full }, true)).toBe(
      'The Proctor host is full (32 connections): close a Proctor tab you no longer use, or wait. Retrying…',
    )
    expect(connectionMessage({ ...lost, status: 'connecting', refusal: full }, true)).toMatch(/^The Proctor host is full \(32 connections\).*not live\.$/)
    expect(connectionMessage({ ...never, refusal: refusalOf({ code: CLOSE_HOST_FULL, reason: '' }) }, true)).toMatch(/^The Proctor host is full: /)
    expect(connectionMessage(never, true)).toBe('Cannot reach the Proctor host. Is `proctor serve` running? Retrying…')
    expect(refusalOf({ code: 1006, reason: '' })).toBeUndefined()
  })

  it('tells a page without a token from one whose token the host refused', () => {
    const refused = { ...never, refusal: refusalOf({ code: CLOSE_UNAUTHORIZED, reason: 'unauthorized' }) }
    expect(connectionMessage(refused, false)).toMatch(/^This page has no token/)
    expect(connectionMessage(refused, true)).toMatch(/^The Proctor host refused this page’s token/)
  })

  it('says a lost connection is being restored, and that the data is not live', () => {
    expect(connectionMessage(lost, true)).toBe('Connection to the Proctor host lost. Reconnecting… The data shown is not live.')
  })
})
