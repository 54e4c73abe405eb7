import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect } from 'vitest'

/**
 * A granted root beside a folder that was never granted, and every way of reaching out of the root that a
 * file system offers: `..`, links to files and to folders, devices, a FIFO.
 */
export function layout(base: string) {
  const root = join(base, 'root')
  const outside = join(base, 'outside')
  mkdirSync(join(root, 'deep', 'er', 'still'), { recursive: true })
  mkdirSync(join(outside, 'sub'), { recursive: true })
  writeFileSync(join(root, 'photo.txt'), 'inside')
  writeFileSync(join(root, 'archive.gz'), gzipSync('inside'))
  writeFileSync(join(outside, 'secret.txt'), 'secret')
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'))
  symlinkSync(join(root, 'photo.txt'), join(root, 'inside-link.txt'))
  // A folder link (a junction, on Windows) out of the root, and one that stays inside but lies three deep.
  symlinkSync(join(outside, 'sub'), join(root, 'junction'))
  symlinkSync(join(root, 'deep', 'er', 'still'), join(root, 'down'))
  symlinkSync('/dev/zero', join(root, 'zero'))
  execFileSync('mkfifo', [join(root, 'pipe')])
  return { root, outside }
}

export const outsideUntouched = (outside: string) => {
  expect(readdirSync(outside).sort()).toEqual(['secret.txt', 'sub'])
  expect(readdirSync(join(outside, 'sub'))).toEqual([])
  expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('secret')
}
