import { closeSync, existsSync, fsyncSync, openSync, realpathSync, statSync, writeSync } from 'node:fs'
import { createServer, connect, type AddressInfo } from 'node:net'
import { basename, dirname, join, resolve } from 'node:path'
import { tempDir } from './tempDir'

/** Real load for the system metrics tests: bytes over loopback, bytes to a disk. */

export const MiB = 1024 * 1024

/**
 * The whole disk under a folder, as /proc/diskstats names it: its device
 * number through /sys/dev/block, up to the disk if it is a partition.
 * Undefined on tmpfs, overlay, btrfs and the like (no block device of their own).
 */
export function diskOf(folder: string): string | undefined {
  const dev = statSync(folder).dev
  const major = Math.floor(dev / 256) & 0xfff
  const minor = (dev & 0xff) | ((Math.floor(dev / 4096) & 0xfff00) >>> 0)
  const sys = `/sys/dev/block/${major}:${minor}`
  if (major === 0 || !existsSync(sys)) return undefined
  const path = realpathSync(sys)
  return existsSync(join(path, 'partition')) ? basename(dirname(path)) : basename(path)
}

/**
 * A folder on a block device, with that disk's name: the temp folder if it
 * is on one, else the project folder (in a container the temp folder may be
 * tmpfs or overlay, with no disk of its own). Undefined if neither is.
 */
export function folderOnDisk(): { folder: string; disk: string } | undefined {
  for (const folder of [tempDir('proctor-disk-'), resolve(__dirname, '../..')]) {
    const disk = diskOf(folder)
    if (disk !== undefined) return { folder, disk }
  }
  return undefined
}

/** Writes `size` bytes to `file` and fsyncs it, so they reach the disk before this returns. */
export function writeDurably(file: string, size: number): void {
  const fd = openSync(file, 'w')
  try {
    const chunk = Buffer.alloc(MiB, 1)
    for (let left = size; left > 0; left -= MiB) writeSync(fd, chunk, 0, Math.min(MiB, left))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Sends `size` bytes (a whole number of MiB) over a TCP connection on 127.0.0.1; resolves once the receiver has them all. */
export async function sendOverLoopback(size: number): Promise<void> {
  const server = createServer((socket) => socket.resume())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  try {
    await new Promise<void>((resolveSent, reject) => {
      const client = connect(port, '127.0.0.1', () => {
        const chunk = Buffer.alloc(MiB, 7)
        let left = size / MiB
        const pump = () => {
          while (left > 0) {
            left--
            if (!client.write(chunk)) return void client.once('drain', pump)
          }
          client.end()
        }
        pump()
      })
      client.on('close', () => resolveSent())
      client.on('error', reject)
    })
  } finally {
    server.close()
  }
}
