import { describe, expect, it } from 'vitest'
import { formatFilesystems } from '../../../src/main/cli/metrics'
import { filesystemSpace } from '../../../src/shared/system/filesystems'
import type { FilesystemUsage } from '../../../src/shared/types/system'

const GiB = 1024 ** 3

/** This machine's / when the issue was filed: df said 252G size, 23G used, 78G available, 24%. */
const root: FilesystemUsage = {
  mount: '/',
  device: '/dev/vda',
  type: 'ext4',
  sizeBytes: 252 * GiB,
  usedBytes: 23.5 * GiB,
  availableBytes: 78 * GiB,
  percent: (23.5 / 101.5) * 100,
}
const shm: FilesystemUsage = { mount: '/dev/shm', device: 'tmpfs', type: 'tmpfs', sizeBytes: 8 * GiB, usedBytes: 2 * GiB, availableBytes: 6 * GiB, percent: 25 }

describe('filesystemSpace', () => {
  it('splits the size into used, available and reserved, which add up', () => {
    const s = filesystemSpace(root)
    expect(s).toEqual({ size: 252 * GiB, used: 23.5 * GiB, available: 78 * GiB, reserved: 150.5 * GiB, usable: 101.5 * GiB, percent: (23.5 / 101.5) * 100 })
    expect(s.used + s.available + s.reserved).toBe(s.size)
  })

  it("gives df's Use%: of used + available, so a disk full for users reads 100 % with space reserved", () => {
    expect(filesystemSpace({ sizeBytes: 100, usedBytes: 95, availableBytes: 0 }).percent).toBe(100)
    expect(filesystemSpace(shm)).toMatchObject({ reserved: 0, percent: 25 })
  })

  it('never reports negative or NaN figures for odd filesystems', () => {
    // More used + available than the size (btrfs, some FUSE): nothing reserved.
    expect(filesystemSpace({ sizeBytes: 100, usedBytes: 70, availableBytes: 40 })).toEqual({ size: 100, used: 70, available: 40, reserved: 0, usable: 110, percent: (70 / 110) * 100 })
    expect(filesystemSpace({ sizeBytes: 0, usedBytes: 0, availableBytes: 0 })).toEqual({ size: 0, used: 0, available: 0, reserved: 0, usable: 0, percent: 0 })
    expect(filesystemSpace({ sizeBytes: Number.NaN, usedBytes: -5, availableBytes: 10 })).toEqual({ size: 0, used: 0, available: 10, reserved: 0, usable: 10, percent: 0 })
  })
})

describe('formatFilesystems (proctor metrics)', () => {
  it('lays out size, used, available, reserved and use% in columns, like df, with what they mean', () => {
    expect(formatFilesystems([root, shm])).toEqual([
      'Filesystems       size      used  available   reserved   use%  type device',
      '  /          252.0 GiB  23.5 GiB   78.0 GiB  150.5 GiB  23.2%  ext4 /dev/vda',
      '  /dev/shm     8.0 GiB   2.0 GiB    6.0 GiB        0 B  25.0%  tmpfs tmpfs',
      '  (used + available + reserved = size; reserved space is for the superuser; use% = used / (used + available), as df)',
    ])
  })

  it('no longer puts a percentage of one base beside a total of another', () => {
    const text = formatFilesystems([root]).join('\n')
    expect(text).not.toMatch(/of 252\.0 GiB/)
    expect(text).not.toMatch(/\(9\.\d%\)/)
  })

  it('leaves the note out when nothing is reserved, and says when there is nothing', () => {
    expect(formatFilesystems([shm])).toHaveLength(2)
    expect(formatFilesystems([])).toEqual(['Filesystems  none'])
  })
})
