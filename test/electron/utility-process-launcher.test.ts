import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import type { UtilityProcess } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { UtilityProcessLauncher, type ForkUtility } from '../../src/main/electron/utility-process-launcher'

class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242
  stdout = new PassThrough()
  stderr = new PassThrough()
  posted: unknown[] = []
  kill = vi.fn(() => true)
  postMessage(message: unknown) {
    this.posted.push(structuredClone(message))
  }
}

function setup() {
  const children: FakeUtilityProcess[] = []
  const fork = vi.fn<ForkUtility>(() => {
    const child = new FakeUtilityProcess()
    children.push(child)
    return child as unknown as UtilityProcess
  })
  return { launcher: new UtilityProcessLauncher(fork, '/app/dist/worker/entry.js'), fork, children }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('utility process launcher', () => {
  it('forks the worker entry with piped output, the heap limit, a name and the extra environment', () => {
    const { launcher, fork } = setup()
    launcher.launch({ env: { SPOOL_WORKER: '1' }, maxHeapMb: 512, name: 'Spool worker' })
    const [entry, args, options] = fork.mock.calls[0]!
    expect(entry).toBe('/app/dist/worker/entry.js')
    expect(args).toEqual([])
    expect(options.stdio).toEqual(['ignore', 'pipe', 'pipe'])
    expect(options.execArgv).toEqual(['--max-old-space-size=512'])
    expect(options.serviceName).toBe('Spool worker')
    expect(options.env).toMatchObject({ SPOOL_WORKER: '1', PATH: process.env.PATH })
  })

  it('relays messages both ways and reports the pid', () => {
    const { launcher, children } = setup()
    const worker = launcher.launch({})
    const received: unknown[] = []
    worker.onMessage((message) => received.push(message))
    worker.send({ type: 'run', id: '1' })
    children[0]!.emit('message', { type: 'progress', id: '1' })
    expect(worker.pid).toBe(4242)
    expect(children[0]!.posted).toEqual([{ type: 'run', id: '1' }])
    expect(received).toEqual([{ type: 'progress', id: '1' }])
  })

  it('passes stdout and stderr through as text for the stderr tail', async () => {
    const { launcher, children } = setup()
    const worker = launcher.launch({})
    const output: [string, string][] = []
    worker.onOutput((stream, chunk) => output.push([stream, chunk.toString()]))
    children[0]!.stdout.write('hello\n')
    children[0]!.stderr.write(Buffer.from('Error: boom\n'))
    await tick()
    expect(output).toEqual([
      ['stdout', 'hello\n'],
      ['stderr', 'Error: boom\n'],
    ])
  })

  it('reports one exit even when Electron emits exit twice, and a crash that says code 0 as code 0', () => {
    const { launcher, children } = setup()
    const worker = launcher.launch({})
    const exits = vi.fn()
    worker.onExit(exits)
    children[0]!.emit('exit', 0)
    children[0]!.emit('exit', 0)
    expect(exits).toHaveBeenCalledTimes(1)
    expect(exits).toHaveBeenCalledWith({ code: 0, signal: null })
  })

  it('folds a V8 fatal error into stderr so running out of memory is recognisable', () => {
    const { launcher, children } = setup()
    const worker = launcher.launch({ maxHeapMb: 64 })
    const output: string[] = []
    worker.onOutput((_stream, chunk) => output.push(chunk.toString()))
    children[0]!.emit('error', 'FatalError', 'Reached heap limit', 'JavaScript heap out of memory')
    expect(output.join('')).toMatch(/FatalError: Reached heap limit[\s\S]*heap out of memory/)
  })

  it('does not post to or kill a process that has exited', () => {
    const { launcher, children } = setup()
    const worker = launcher.launch({})
    worker.kill()
    expect(children[0]!.kill).toHaveBeenCalledTimes(1)
    children[0]!.emit('exit', 9)
    worker.kill()
    worker.send({ type: 'run' })
    expect(children[0]!.kill).toHaveBeenCalledTimes(1)
    expect(children[0]!.posted).toEqual([])
  })
})
