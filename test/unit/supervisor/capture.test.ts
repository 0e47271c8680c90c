import { describe, expect, it } from 'vitest'
import { LineSplitter } from '../../../src/main/core/supervisor/lineSplitter'
import { parseProcStat, type ProcEntry } from '../../../src/main/core/supervisor/procTree'
import { ProgramTree } from '../../../src/main/core/supervisor/programTree'
import { LineRing } from '../../../src/main/core/supervisor/lineRing'

/** A splitter collecting each line's bytes as handed on for the file, and its text decoded from them. */
function splitter(maxLineBytes = 100) {
  const lines: string[] = []
  const bytes: Buffer[] = []
  const s = new LineSplitter(
    (b, start, end) => {
      lines.push(b.toString('utf8', start, end))
      bytes.push(Buffer.from(b.subarray(start, end)))
    },
    { partialFlushMs: 60_000, maxLineBytes },
  )
  return { s, lines, bytes }
}

describe('line splitter', () => {
  it('joins a line cut across reads, and a UTF-8 character cut across reads', () => {
    const { s, lines } = splitter()
    const bytes = Buffer.from('héllo wörld\nsecond\n')
    s.push(bytes.subarray(0, 2)) // inside 'é'
    s.push(bytes.subarray(2, 9))
    s.push(bytes.subarray(9))
    expect(lines).toEqual(['héllo wörld', 'second'])
  })

  it('hands on the rest when the stream ends, and a very long line in pieces', () => {
    const { s, lines } = splitter(4)
    s.push(Buffer.from('abcdefghij\nxy'))
    s.end()
    expect(lines).toEqual(['abcd', 'efgh', 'ij', 'xy'])
  })

  it('drops a \\r\\n ending cut across two reads, in the text and the bytes', () => {
    const { s, lines, bytes } = splitter()
    s.push(Buffer.from('one\r'))
    s.push(Buffer.from('\ntwo\r\nthree\r'))
    s.push(Buffer.from('\n'))
    expect(lines).toEqual(['one', 'two', 'three'])
    expect(bytes.map(String)).toEqual(lines)
  })

  it('hands on the bytes of each line as they came, its text decoded from them', () => {
    const { s, lines, bytes } = splitter()
    // Two-, three- and four-byte characters, and bytes that are not UTF-8 (kept as they are for the file).
    const input = Buffer.concat([Buffer.from('é\nü ✓\r\n😀x\n'), Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0x62, 0x0a])])
    for (let i = 0; i < input.length; i += 3) s.push(input.subarray(i, i + 3))
    expect(lines).toEqual(['é', 'ü ✓', '😀x', 'a\ufffd', '\ufffd', 'b'])
    expect(Buffer.concat(bytes.flatMap((b) => [b, Buffer.from('\n')]))).toEqual(Buffer.from(input.toString('latin1').replace('\r', ''), 'latin1'))
    // All at once, the same.
    const once = splitter()
    once.s.push(input)
    expect(once.lines).toEqual(lines)
    expect(once.bytes).toEqual(bytes)
  })

  it('splits a read of more than 64 KB as it splits the same bytes in small reads', () => {
    // Lines of every length around the window's edge, multi-byte characters and \r\n endings among them, one line longer than a window, and bytes that are not UTF-8.
    const parts: Buffer[] = []
    for (let i = 0; i < 3000; i++) parts.push(Buffer.from(`${i} ${'é✓😀'.repeat(i % 40)}${'y'.repeat(i % 97)}${i % 5 ? '\n' : '\r\n'}`))
    parts.splice(1500, 0, Buffer.from('z'.repeat(70_000) + '\r\n'), Buffer.from([0x61, 0xff, 0x0a]))
    const input = Buffer.concat(parts)
    expect(input.length).toBeGreaterThan(300_000)
    const whole = splitter(100_000)
    whole.s.push(input)
    const small = splitter(100_000)
    for (let i = 0; i < input.length; i += 1000) small.s.push(input.subarray(i, i + 1000))
    expect(whole.lines).toHaveLength(3002)
    expect(whole.lines).toEqual(small.lines)
    // As latin1 text, one character a byte: the same comparison, without comparing 300,000 bytes one by one.
    expect(whole.bytes.map((b) => b.toString('latin1'))).toEqual(small.bytes.map((b) => b.toString('latin1')))
    expect(whole.lines[1500]).toBe('z'.repeat(70_000))
    // With a limit under the window, the long line is cut as before.
    const cut = splitter(16_384)
    cut.s.push(input)
    expect(cut.lines.filter((l) => l.startsWith('z')).map((l) => l.length)).toEqual([16_384, 16_384, 16_384, 16_384, 4464])
  })

  it('cuts a long line between characters, never inside one', () => {
    const { s, lines, bytes } = splitter(4)
    s.push(Buffer.from('abcédefgh😀\n'))
    expect(lines).toEqual(['abc', 'éde', 'fgh', '😀'])
    expect(bytes.map(String)).toEqual(lines)
    expect(Math.max(...bytes.map((b) => b.length))).toBeLessThanOrEqual(4)
  })

  it('cuts a line that exceeds the limit only once it spans several reads, and one still coming', () => {
    const { s, lines, bytes } = splitter(4)
    s.push(Buffer.from('ab'))
    s.push(Buffer.from('cdef\n'))
    expect(lines).toEqual(['abcd', 'ef'])
    s.push(Buffer.from('ghijk'))
    expect(lines).toEqual(['abcd', 'ef', 'ghij']) // the start of a line with no end yet, held no longer than the limit
    s.push(Buffer.from('lmé')) // 'klmé' is 5 bytes: cut before the 'é'
    expect(lines).toEqual(['abcd', 'ef', 'ghij', 'klm'])
    s.push(Buffer.from('\n'))
    expect(lines).toEqual(['abcd', 'ef', 'ghij', 'klm', 'é'])
    expect(bytes.map(String)).toEqual(lines)
  })

  it('flushes a partial line only once it has waited the delay itself, not one begun since under steady output', async () => {
    const lines: string[] = []
    const s = new LineSplitter((b, start, end) => lines.push(b.toString('utf8', start, end)), { partialFlushMs: 100, maxLineBytes: 100 })
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    s.push(Buffer.from('a'))
    await sleep(70)
    s.push(Buffer.from('b\nc')) // 'ab' ends; 'c' begins, 30 ms before the first partial's delay is up
    await sleep(50)
    expect(lines).toEqual(['ab'])
    s.push(Buffer.from('d\n'))
    expect(lines).toEqual(['ab', 'cd'])
    s.push(Buffer.from('prompt> '))
    await sleep(160)
    expect(lines).toEqual(['ab', 'cd', 'prompt> '])
  })

  it('does not flush a partial line while Proctor holds back its reads: the wait is not the program\'s', async () => {
    const lines: string[] = []
    const s = new LineSplitter((b, start, end) => lines.push(b.toString('utf8', start, end)), { partialFlushMs: 50, maxLineBytes: 100 })
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    s.push(Buffer.from('one\ntw'))
    s.pause()
    await sleep(150)
    expect(lines).toEqual(['one'])
    s.resume()
    s.push(Buffer.from('o\n'))
    expect(lines).toEqual(['one', 'two'])
    // After a resume a partial line still gets its delay, counted from then.
    s.push(Buffer.from('thr'))
    s.pause()
    await sleep(80)
    s.resume()
    await sleep(20)
    expect(lines).toEqual(['one', 'two'])
    await sleep(100)
    expect(lines).toEqual(['one', 'two', 'thr'])
  })
})

describe('line ring', () => {
  const texts = (ring: LineRing, n?: number) => ring.toArray(n).map((l) => `${l.at} ${l.stream} ${l.text}`)

  it('keeps the last lines, oldest first, staged ones and decoded ones in the order they came', () => {
    const ring = new LineRing(3)
    ring.push({ at: 1, stream: 'stdout', text: 'one' })
    const read = Buffer.from('two\r\nthree\nfour\n')
    ring.stage(read, 0, 3, 2, 'stderr')
    ring.stage(read, 5, 10, 3, 'stdout')
    expect(ring.size).toBe(3)
    ring.endBatch()
    ring.push({ at: 4, stream: 'stdout', text: 'five' })
    expect(texts(ring)).toEqual(['2 stderr two', '3 stdout three', '4 stdout five'])
    expect(texts(ring, 2)).toEqual(['3 stdout three', '4 stdout five'])
    expect(ring.size).toBe(3)
  })

  it('keeps its own copy of a batch: the buffer read into is free again once the batch ends', () => {
    const ring = new LineRing(10)
    const read = Buffer.from('alpha\nbeta\n')
    ring.stage(read, 0, 5, 1, 'stdout')
    ring.stage(read, 6, 10, 1, 'stdout')
    ring.endBatch()
    read.fill(0x21)
    expect(ring.toArray().map((l) => l.text)).toEqual(['alpha', 'beta'])
  })

  it('reuses the copy of a batch only once none of its lines is held', () => {
    const ring = new LineRing(3)
    const batch = (at: number, ...lines: string[]) => {
      const read = Buffer.from(lines.map((l) => `${l}\n`).join(''))
      for (let s = 0; s < read.length; ) {
        const nl = read.indexOf(0x0a, s)
        ring.stage(read, s, nl, at, 'stdout')
        s = nl + 1
      }
      ring.endBatch()
      read.fill(0x3f)
    }
    batch(1, 'a1', 'a2', 'a3')
    batch(2, 'b1')
    expect(ring.toArray(1).map((l) => l.text)).toEqual(['b1'])
    for (let i = 0; i < 50; i++) batch(3 + i, `c${i}`, `d${i}`)
    expect(ring.toArray().map((l) => l.text)).toEqual(['d48', 'c49', 'd49'])
    batch(60, 'e1', 'e2')
    expect(ring.toArray().map((l) => l.text)).toEqual(['d49', 'e1', 'e2'])
  })

  it('keeps only the last lines of a batch larger than itself, from several buffers, multi-byte and stray bytes as decoded alone', () => {
    const ring = new LineRing(4)
    const partial = Buffer.from('joined é')
    const read = Buffer.concat([Buffer.from('x\n'.repeat(50)), Buffer.from('✓😀 ok\n'), Buffer.from([0x61, 0xff, 0x0a]), Buffer.from('last\n')])
    ring.stage(partial, 0, partial.length, 5, 'stdout')
    for (let s = 0; s < read.length; ) {
      const nl = read.indexOf(0x0a, s)
      ring.stage(read, s, nl, 6, 'stdout')
      s = nl + 1
    }
    ring.endBatch()
    expect(ring.toArray().map((l) => l.text)).toEqual(['x', '✓😀 ok', 'a\ufffd', 'last'])
    const ascii = new LineRing(2)
    ascii.stage(partial, 0, 6, 7, 'stdout')
    ascii.stage(read, 0, 1, 7, 'stderr')
    ascii.endBatch()
    expect(texts(ascii)).toEqual(['7 stdout joined', '7 stderr x'])
  })
})

describe('/proc/PID/stat', () => {
  it('reads the links and the start time, a name with spaces and parentheses included', () => {
    const text = '4242 (my (odd) prog) S 4000 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000000 200 18446744073709551615'
    expect(parseProcStat(text)).toEqual({ pid: 4242, ppid: 4000, pgrp: 4242, startTicks: 987654, zombie: false, comm: 'my (odd) prog' })
    expect(parseProcStat(text.replace(') S ', ') Z '))?.zombie).toBe(true)
    expect(parseProcStat('4242 (cut short) S 1 2')).toBeUndefined()
  })
})

describe('program tree', () => {
  const proc = (pid: number, ppid: number, pgrp: number, startTicks = 100, zombie = false): ProcEntry => ({ pid, ppid, pgrp, startTicks, zombie, comm: `p${pid}` })

  it('takes in the group and the descendants, and keeps a detached one after its parent is gone', () => {
    const tree = new ProgramTree({ pid: 10, startTicks: 100 }, 'M=1')
    tree.update([proc(1, 0, 1, 0), proc(10, 1, 10), proc(11, 10, 10), proc(12, 11, 12), proc(13, 12, 12), proc(99, 1, 99)])
    expect(tree.list().map((m) => [m.pid, m.leftGroup])).toEqual([
      [11, false],
      [12, true],
      [13, true],
    ])
    // 11 exits: 12 now has init for parent, yet it is still the program's.
    tree.update([proc(1, 0, 1, 0), proc(10, 1, 10), proc(12, 1, 12), proc(13, 12, 12)])
    expect(tree.list().map((m) => m.pid)).toEqual([12, 13])
  })

  it('drops a member whose pid now runs another process, and a zombie', () => {
    const tree = new ProgramTree({ pid: 10, startTicks: 100 }, 'M=1')
    tree.update([proc(10, 1, 10), proc(11, 10, 11), proc(12, 10, 12)])
    tree.update([proc(11, 1, 11, 500), proc(12, 1, 12, 100, true)])
    expect(tree.list()).toEqual([])
  })

  it('sees a member that left the group after it was first seen as outside it', () => {
    const tree = new ProgramTree({ pid: 10, startTicks: 100 }, 'M=1')
    tree.update([proc(10, 1, 10), proc(11, 10, 10)])
    expect(tree.list()[0]?.leftGroup).toBe(false)
    const later = [proc(10, 1, 10), proc(11, 10, 11)]
    expect(tree.living(later)[0]?.leftGroup).toBe(true)
    tree.update(later)
    expect(tree.list()[0]?.leftGroup).toBe(true)
  })

  it('does not take a reused leader pid for the program', () => {
    const tree = new ProgramTree({ pid: 10, startTicks: 100 }, 'M=1')
    tree.update([proc(10, 1, 10, 700), proc(11, 10, 11, 800)])
    expect(tree.list()).toEqual([])
  })
})
