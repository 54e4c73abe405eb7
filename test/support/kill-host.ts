import { descendants, isRunning } from './processes'
import { startHost } from './host-runner'
import { eventually } from './test-spool'

/**
 * Starts a host running `spec` on `dataDir` with `roots`; once `until` holds, kills it with its workers and
 * every child at once, as a power cut does. Every pid it kills goes into `killed`, for the test to clean up.
 */
export async function killHostWhen(
  dataDir: string,
  roots: string[],
  spec: unknown,
  until: () => boolean,
  killed: number[],
): Promise<void> {
  const host = startHost(dataDir, [spec], roots)
  const { ready } = await host.next((line) => line.ready !== undefined)
  killed.push(ready!)
  await host.next((line) => line.event === 'started')
  // Polled without a pause: the moment an output appears the job's success is a few milliseconds away.
  const deadline = Date.now() + 60_000
  while (!until() && Date.now() < deadline);
  process.kill(ready!, 'SIGSTOP')
  const tree = descendants(ready!)
  killed.push(...tree)
  const exited = new Promise((resolve) => host.child.once('exit', resolve))
  for (const pid of [ready!, ...tree]) process.kill(pid, 'SIGKILL')
  await exited
  await eventually(() => tree.every((pid) => !isRunning(pid)))
}
