import { describe, expect, it } from 'vitest'
import {
  API_SUBPROTOCOL,
  apiSubprotocols,
  hostFullReason,
  parseHostFullReason,
  TOKEN_SUBPROTOCOL_PREFIX,
} from '../../../src/shared/rpc/protocol'

describe('the headless host’s handshake helpers', () => {
  it('offers the API’s subprotocol, and the token as a second one only when it can travel as one', () => {
    expect(apiSubprotocols('abc_DEF-123')).toEqual([API_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}abc_DEF-123`])
    // new WebSocket() throws on a subprotocol with separators or spaces: such a token is not offered at all.
    for (const bad of [undefined, '', 'a b', 'a,b', 'tok=en', 'x'.repeat(257)]) expect(apiSubprotocols(bad), String(bad)).toEqual([API_SUBPROTOCOL])
  })

  it('names the connection cap in the reason of a "host full" close, and reads it back', () => {
    expect(hostFullReason(32)).toBe('host full: 32 connections')
    expect(hostFullReason(1)).toBe('host full: 1 connection')
    expect(parseHostFullReason(hostFullReason(32))).toBe(32)
    expect(parseHostFullReason(hostFullReason(1))).toBe(1)
    expect(parseHostFullReason('busy')).toBeUndefined()
    // A close reason is at most 123 bytes.
    expect(Buffer.byteLength(hostFullReason(1000))).toBeLessThanOrEqual(123)
  })
})
